import { invokeLocalFunction } from './invoke-local';

/**
 * `pnpm run market-data:refresh`: runs the market-data refresh once on the running local platform (`pnpm dev`),
 * without waiting for the 15-minute schedule (EventBridge in AWS, serverless-offline's own timer locally). It
 * invokes the function through serverless-offline's Lambda endpoint and prints the refresh summary.
 */
invokeLocalFunction('market-data:refresh', 'market-data', 'refreshMarketData', {});
