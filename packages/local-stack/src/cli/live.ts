import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultIssuerDir, loadOrCreateLocalIssuer } from '../issuer';
import { connectLive } from '../live-client';
import { localStateDir } from '../workspace';

/**
 * `pnpm run live <user> <portfolioId>…`: opens the local WebSocket API as <user> (a token from the local
 * issuer), subscribes to the portfolios and prints every pushed message as one JSON line until Ctrl-C.
 */
const USAGE =
  'Usage: pnpm run live <user> <portfolioId> [<portfolioId>…]\nRun it while `pnpm dev` is running.';

const endpointsFile = (env: NodeJS.ProcessEnv = process.env): string =>
  env.KUPALA_ENDPOINTS_FILE || join(env.KUPALA_STATE_DIR || localStateDir(), 'endpoints.json');

const main = async (): Promise<number> => {
  const [username, ...portfolioIds] = process.argv.slice(2).filter((argument) => argument !== '--');
  if (username === undefined || username.startsWith('-') || portfolioIds.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let ws: string;
  try {
    ws = JSON.parse(await readFile(endpointsFile(), 'utf8')).ws;
  } catch {
    process.stderr.write(`No ${endpointsFile()}: start the platform with \`pnpm dev\` first\n`);
    return 1;
  }
  const token = await (await loadOrCreateLocalIssuer(defaultIssuerDir())).signAccessToken(username);
  const client = await connectLive(ws, token);
  process.stderr.write(`connected to ${ws} as ${username}; Ctrl-C to stop\n`);
  let printed = 0;
  const print = () => {
    for (; printed < client.received.length; printed += 1)
      process.stdout.write(`${JSON.stringify(client.received[printed]?.message)}\n`);
  };
  for (const portfolioId of portfolioIds) client.send({ action: 'subscribe', portfolioId });
  process.once('SIGINT', () => {
    void client.close().then(() => process.exit(0));
  });
  // the client collects messages; print them as they come until the connection ends
  for (;;) {
    try {
      await client.next(() => true, { from: printed, timeoutMs: 3_600_000 });
    } catch {
      print();
      return 0;
    }
    print();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
