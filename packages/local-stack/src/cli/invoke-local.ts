import { LOCAL_STAGE, platformPortsFromEnv } from '../local-platform';
import type { ServiceName } from '../offline-services';

/**
 * Invokes a function of the running local platform (`pnpm dev`) through its service's serverless-offline
 * Lambda endpoint, as its schedule would, prints the answer and sets the exit code (`name` labels messages).
 */
export const invokeLocalFunction = (
  name: string,
  service: ServiceName,
  functionKey: string,
  payload: unknown,
): void => {
  const run = async (): Promise<number> => {
    const port = platformPortsFromEnv().services[service].lambda;
    const functionName = `kupala-${service}-${LOCAL_STAGE}-${functionKey}`;
    const url = `http://127.0.0.1:${port}/2015-03-31/functions/${functionName}/invocations`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(300_000),
      });
    } catch (error: unknown) {
      process.stderr.write(
        `${name}: nothing answers on port ${port}; is \`pnpm dev\` running? (${String(error)})\n`,
      );
      return 1;
    }
    const text = await response.text();
    process.stdout.write(`${text}\n`);
    return response.ok ? 0 : 1;
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
};
