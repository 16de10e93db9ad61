import { rm } from 'node:fs/promises';

/** Stops what the integration global setup started (DynamoDB Local, local S3) and drops the throwaway keys. */
export default async function integrationGlobalTeardown(): Promise<void> {
  const platform = globalThis.__KUPALA_INTEGRATION__;
  if (platform === undefined) return;
  globalThis.__KUPALA_INTEGRATION__ = undefined;
  await Promise.all([
    platform.dynamodb.stop(),
    platform.s3.stop(),
    rm(platform.issuerDir, { recursive: true, force: true }),
  ]);
}
