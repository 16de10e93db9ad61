import { DEMO_USERNAME } from '../demo-seed';
import { LocalPlatform, platformPortsFromEnv, type StartedPlatform } from '../local-platform';
import { SERVICE_NAMES, type ServiceName } from '../offline-services';

/**
 * `pnpm dev`: the whole platform on this machine. Options: --persist (keep tables and objects under .kupala/),
 * --verbose (print serverless-offline output), --no-seed, --only <service,…>, --param <name=value>.
 * Ports, state and endpoints file come from KUPALA_* variables (see README of @kupala/local-stack).
 */

// Node 20 is fine for the local platform; keep the AWS SDK's Node-version notice out of the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: pnpm dev [--persist] [--verbose] [--no-seed] [--only trades,positions] [--param name=value]

Starts DynamoDB Local, local S3, the token issuer, every service under serverless-offline and one
HTTP gateway; writes .kupala/endpoints.json when ready. Ctrl-C stops everything.

Environment: KUPALA_GATEWAY_PORT (4000), KUPALA_DYNAMODB_PORT (4001), KUPALA_S3_PORT (4002), KUPALA_WEB_PORT (4003),
KUPALA_<SERVICE>_HTTP_PORT / _LAMBDA_PORT / _WEBSOCKET_PORT, KUPALA_STATE_DIR (.kupala),
KUPALA_ENDPOINTS_FILE, KUPALA_ISSUER_DIR, KUPALA_CACHE_DIR.`;

interface DevArguments {
  persist: boolean;
  verbose: boolean;
  seed: boolean;
  services: ServiceName[];
  params: Record<string, string>;
}

const isServiceName = (name: string): name is ServiceName =>
  (SERVICE_NAMES as readonly string[]).includes(name);

const parseArguments = (argv: readonly string[]): DevArguments | string => {
  const parsed: DevArguments = {
    persist: false,
    verbose: false,
    seed: true,
    services: [...SERVICE_NAMES],
    params: {},
  };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const [flag = '', inline] =
      argument.startsWith('--') && argument.includes('=') ? splitOnce(argument) : [argument];
    const value = () => inline ?? argv[++index];
    switch (flag) {
      case '--':
        break;
      case '-h':
      case '--help':
        return USAGE;
      case '--persist':
        parsed.persist = true;
        break;
      case '--verbose':
      case '-v':
        parsed.verbose = true;
        break;
      case '--no-seed':
        parsed.seed = false;
        break;
      case '--only': {
        const names = (value() ?? '').split(',').filter((name) => name !== '');
        const unknown = names.filter((name) => !isServiceName(name));
        if (names.length === 0 || unknown.length > 0) {
          return `--only takes services among ${SERVICE_NAMES.join(', ')}; got ${unknown.join(', ') || 'nothing'}`;
        }
        parsed.services = names.filter(isServiceName);
        break;
      }
      case '--param': {
        const pair = value() ?? '';
        const [name = '', paramValue] = splitOnce(pair);
        if (name === '' || paramValue === undefined)
          return `--param needs name=value, got ${JSON.stringify(pair)}`;
        parsed.params[name] = paramValue;
        break;
      }
      default:
        return `Unknown argument ${argument}\n\n${USAGE}`;
    }
  }
  return parsed;
};

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

const seconds = (ms: number | undefined): string => `${((ms ?? 0) / 1000).toFixed(1)} s`;

const banner = (platform: StartedPlatform, endpointsFile: string): string => {
  const { http, ws, web } = platform.endpoints;
  const demoId =
    platform.demo !== undefined && 'portfolioId' in platform.demo
      ? platform.demo.portfolioId
      : '<portfolioId>';
  const serviceLines = platform.services.map((status) => {
    const detail =
      status.state === 'running'
        ? `${status.routes} routes`
        : status.state === 'no-functions'
          ? 'no functions yet (tables/buckets only)'
          : `FAILED: ${(status.detail ?? '').split('\n')[0]}`;
    return `    ${status.service.padEnd(12)} ${detail}`;
  });
  const { timings } = platform;
  return [
    '',
    `Kupala local platform ready in ${seconds(timings.total)}`,
    `  Web        ${web}    (open it in a browser; sign in as any user name, e.g. ${DEMO_USERNAME})`,
    `  HTTP       ${http}`,
    `  WebSocket  ${ws}`,
    `  DynamoDB   ${platform.dynamodbEndpoint}    S3 ${platform.s3Endpoint}`,
    `  endpoints  ${endpointsFile}`,
    '  services',
    ...serviceLines,
    `  start-up   dynamodb ${seconds(timings.dynamodb)}, resolve ${seconds(timings.resolveServices)}, ` +
      `tables ${seconds(timings.tablesAndBuckets)}, offline ${seconds(timings.offline)}, seed ${seconds(timings.seed)}`,
    '',
    'Try it:',
    `  curl -s ${http}/health`,
    `  curl -s ${http}/openapi.json | head -c 300; echo`,
    `  TOKEN=$(pnpm run token ${DEMO_USERNAME})`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${http}/portfolios`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${http}/portfolios/${demoId}/trades`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${http}/portfolios/${demoId}/positions`,
    `  pnpm run live ${DEMO_USERNAME} ${demoId}   # live positions over WebSocket (README "Live positions")`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};

const main = async (): Promise<void> => {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    const help = parsed === USAGE;
    (help ? process.stdout : process.stderr).write(`${parsed}\n`);
    process.exitCode = help ? 0 : 2;
    return;
  }
  const log = (message: string) => process.stdout.write(`${message}\n`);
  const logError = (message: string) => process.stderr.write(`${message}\n`);
  const env = process.env;
  const platform = new LocalPlatform({
    ports: platformPortsFromEnv(env),
    services: parsed.services,
    stateDir: env.KUPALA_STATE_DIR || undefined,
    endpointsFile: env.KUPALA_ENDPOINTS_FILE || undefined,
    issuerDir: env.KUPALA_ISSUER_DIR || undefined,
    persist: parsed.persist,
    seed: parsed.seed,
    params: parsed.params,
    verbose: parsed.verbose,
    log,
    logError,
  });

  let signals = 0;
  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // Ctrl-C reaches every process of the terminal's group and wrappers (pnpm, tsx, timeout) forward it
      // too: a duplicate within 2 s is the same Ctrl-C. A later one means "stop waiting, kill it".
      if (Date.now() - firstSignalAt < 2000) return;
      logError(`[dev] ${signal} again: killing everything now`);
      platform.killNow();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`\n[dev] ${signal}: stopping the local platform …`);
    const stopStarted = Date.now();
    platform.stop().then(
      () => {
        log(`[dev] stopped in ${seconds(Date.now() - stopStarted)}`);
        process.exit(0);
      },
      (error: unknown) => {
        logError(`[dev] stopped with errors: ${error instanceof Error ? error.message : String(error)}`);
        platform.killNow();
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);
  // Whatever happens, never leave a JVM or an offline process group behind.
  process.on('exit', () => platform.killNow());

  log(`[dev] starting the Kupala local platform${parsed.persist ? ' (persisted under .kupala/)' : ''} …`);
  try {
    const started = await platform.start();
    log(banner(started, platform.endpointsFile));
  } catch (error: unknown) {
    if (signals > 0) return;
    logError(`[dev] start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    await platform.stop().catch(() => platform.killNow());
    process.exit(1);
  }
};

void main();
