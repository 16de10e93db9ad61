// Runs in every integration worker: the global setup exported the endpoints, keys and resource names.
if (process.env.AWS_ENDPOINT_URL_DYNAMODB === undefined || process.env.KUPALA_TEST_ISSUER_DIR === undefined) {
  throw new Error('The integration global setup did not run (tests/setup/integration-global-setup.ts)');
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers run in-process with the test stage's configuration: prices from the simulated provider, never the network.
process.env.MARKET_DATA_PROVIDERS ??= 'simulated';

export {};
