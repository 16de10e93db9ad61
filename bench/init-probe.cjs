// Runs in a fresh node process: times require() of one bundled handler, as a Lambda cold start evaluates it.
const { performance } = require('node:perf_hooks');

const [file, exportName] = process.argv.slice(2);
const start = performance.now();
const handlerModule = require(file);
const initMs = performance.now() - start;
process.stdout.write(JSON.stringify({ initMs, exported: typeof handlerModule[exportName] === 'function' }));
// A handler must not keep the event loop alive at init; exit anyway so a stray timer cannot stall the bench.
process.exit(0);
