// middy 7 publishes only an "import" export condition; resolve it that way and let swc compile it to CommonJS.
module.exports = (request, options) =>
  options.defaultResolver(
    request,
    /^@middy\//.test(request) ? { ...options, conditions: ['import', 'node', 'default'] } : options,
  );
