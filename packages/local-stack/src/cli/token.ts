import { defaultIssuerDir, loadOrCreateLocalIssuer } from '../issuer';

/** `pnpm token <user>`: prints only a local access token for <user> on stdout (works with or without dev). */
const USAGE =
  'Usage: pnpm token <user> [--expires-in <seconds>]\nPrints a local access token for <user> on stdout.';

const parseArguments = (argv: readonly string[]): { username: string; expiresInSeconds: number } | string => {
  let username: string | undefined;
  let expiresInSeconds = 3600;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '--') continue;
    if (argument === '-h' || argument === '--help') return USAGE;
    if (argument === '--expires-in' || argument.startsWith('--expires-in=')) {
      const raw = argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : argv[++index];
      const seconds = Number(raw);
      if (!Number.isInteger(seconds) || seconds < 1)
        return `--expires-in needs a positive number of seconds\n${USAGE}`;
      expiresInSeconds = seconds;
      continue;
    }
    if (argument.startsWith('-')) return `Unknown option ${argument}\n${USAGE}`;
    if (username !== undefined) return `Only one user, please\n${USAGE}`;
    username = argument;
  }
  return username === undefined ? USAGE : { username, expiresInSeconds };
};

const main = async (): Promise<number> => {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return 2;
  }
  const issuer = await loadOrCreateLocalIssuer(defaultIssuerDir());
  process.stdout.write(
    `${await issuer.signAccessToken(parsed.username, { expiresInSeconds: parsed.expiresInSeconds })}\n`,
  );
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
