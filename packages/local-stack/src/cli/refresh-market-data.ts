import { LOCAL_STAGE, platformPortsFromEnv } from '../local-platform';

/**
 * `pnpm run market-data:refresh`: runs the market-data refresh once on the running local platform (`pnpm dev`),
 * without waiting for the 15-minute schedule (EventBridge in AWS, serverless-offline's own timer locally). It
 * invokes the function through serverless-offline's Lambda endpoint and prints the refresh summary.
 */
const FUNCTION_NAME = `kupala-market-data-${LOCAL_STAGE}-refreshMarketData`;

const main = async (): Promise<number> => {
  const port = platformPortsFromEnv().services['market-data'].lambda;
  const url = `http://127.0.0.1:${port}/2015-03-31/functions/${FUNCTION_NAME}/invocations`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(300_000) });
  } catch (error: unknown) {
    process.stderr.write(
      `market-data:refresh: nothing answers on port ${port}; is \`pnpm dev\` running? (${String(error)})\n`,
    );
    return 1;
  }
  const text = await response.text();
  process.stdout.write(`${text}\n`);
  return response.ok ? 0 : 1;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`market-data:refresh: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
