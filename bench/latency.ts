import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// Relative imports: the root package does not depend on the workspace packages by name.
import {
  createTables,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  loadOrCreateLocalIssuer,
  readPackagedResources,
  startDynamoDbLocal,
  tableInputsFromResources,
} from '../packages/local-stack/src';
import { httpEvent, lambdaContext, type TestRequest } from '../packages/trade-model/src/testing';
import { percentile } from './stats';

export type HttpHandler = (
  event: ReturnType<typeof httpEvent>,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode?: number; body?: string } | undefined>;

export interface RouteLatency {
  route: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LatencyOptions {
  /** A packaged trades service dir: `<dir>/.serverless/cloudformation-template-update-stack.json`. */
  packagedTradesDir: string;
  /** Where the handlers' sources live (services/trades). */
  tradesSourceDir: string;
  warmup: number;
  requests: number;
}

export interface LatencyReport {
  routes: RouteLatency[];
  tradesInPortfolio: number;
  pageSize: number;
}

export const tableNameOf = (resources: Record<string, unknown>, logicalId: string): string => {
  const name = (resources[logicalId] as { Properties?: { TableName?: unknown } } | undefined)?.Properties
    ?.TableName;
  if (typeof name !== 'string')
    throw new Error(`The packaged template has no ${logicalId} with a literal TableName`);
  return name;
};

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'ASML', 'SAP'] as const;

/** A valid BUY; dates and symbols vary so the list index is not one hot key range. */
const buyTrade = (index: number) => {
  const day = new Date(Date.UTC(2025, 0, 2) + (index % 365) * 86_400_000).toISOString().slice(0, 10);
  const symbol = SYMBOLS[index % SYMBOLS.length] ?? 'AAPL';
  return {
    type: 'BUY',
    instrument: { assetClass: 'EQUITY', symbol, currency: 'USD' },
    quantity: String(1 + (index % 50)),
    price: `${100 + (index % 97)}.25`,
    currency: 'USD',
    fees: '1.00',
    tradeDate: day,
  };
};

export const invoke = async (
  handler: HttpHandler,
  functionName: string,
  request: TestRequest,
  expectedStatus: number,
): Promise<{ elapsedMs: number; body: unknown }> => {
  const event = httpEvent(request);
  const context = lambdaContext(functionName);
  const start = process.hrtime.bigint();
  const response = await handler(event, context);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (response?.statusCode !== expectedStatus) {
    throw new Error(
      `${request.method} ${request.path} answered ${response?.statusCode}: ${response?.body ?? ''}`,
    );
  }
  return { elapsedMs, body: response.body === undefined ? undefined : JSON.parse(response.body) };
};

/** Sequential requests: `warmup` untimed, then `requests` timed, each through the whole middy stack. */
const timeSequentially = async (
  count: { warmup: number; requests: number },
  send: (index: number) => Promise<{ elapsedMs: number }>,
): Promise<number[]> => {
  for (let index = 0; index < count.warmup; index++) await send(index);
  const samples: number[] = [];
  for (let index = 0; index < count.requests; index++) {
    samples.push((await send(count.warmup + index)).elapsedMs);
  }
  return samples;
};

const HANDLERS = ['createPortfolio', 'bookTrade', 'listTrades'] as const;

/**
 * Compiles the handlers' sources the way serverless-esbuild does for Lambda (CommonJS, minified, names
 * kept). Needed because @middy/core 7 is ESM-only and tsx runs this workspace as CommonJS, so
 * `import('services/trades/src/.../handler.ts')` cannot load it. The SDK is bundled in rather than left
 * external: the bundles live in a temp dir with no node_modules, and it is the same code either way.
 */
export const bundleHandlers = async <Name extends string>(
  tradesSourceDir: string,
  outdir: string,
  names: readonly Name[],
): Promise<Record<Name, string>> => {
  const entryPoints = Object.fromEntries(
    names.map((name) => [name, path.join(tradesSourceDir, 'src', 'functions', name, 'handler.ts')]),
  );
  await build({
    entryPoints,
    outdir,
    bundle: true,
    minify: true,
    keepNames: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  return Object.fromEntries(names.map((name) => [name, path.join(outdir, `${name}.js`)])) as Record<
    Name,
    string
  >;
};

/**
 * p50/p99 of booking and listing trades through the real handlers (middy stack, JWT verification with the
 * local issuer's keys, zod validation, DynamoDB document client) against DynamoDB Local, in this process.
 * Each sample is one `await main(event, context)`; building the event is outside the timed span.
 */
export const measureTradeLatency = async (options: LatencyOptions): Promise<LatencyReport> => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-latency-'));
  const dynamo = await startDynamoDbLocal();
  // DynamoDB Local runs in its own process group: an interrupted bench must still stop it.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void dynamo.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const resources = await readPackagedResources(options.packagedTradesDir);
    await createTables(dynamo.endpoint, tableInputsFromResources(resources));
    const issuer = await loadOrCreateLocalIssuer(workDir);
    // Configuration is read at cold start: set it before the handler modules are first imported.
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      TRADES_TABLE: tableNameOf(resources, 'TradesTable'),
      AUTH_LOCAL_ISSUER: LOCAL_ISSUER,
      AUTH_LOCAL_JWKS: JSON.stringify(issuer.publicJwks),
      AUTH_CLIENT_ID: LOCAL_CLIENT_ID,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_SERVICE_NAME: 'kupala-trades',
    });
    const bundles = await bundleHandlers(options.tradesSourceDir, path.join(workDir, 'handlers'), HANDLERS);
    const [createPortfolio, bookTrade, listTrades] = (await Promise.all([
      import(bundles.createPortfolio),
      import(bundles.bookTrade),
      import(bundles.listTrades),
    ])) as [{ main: HttpHandler }, { main: HttpHandler }, { main: HttpHandler }];
    const token = await issuer.signAccessToken('bench-trader');

    const created = await invoke(
      createPortfolio.main,
      'createPortfolio',
      { method: 'POST', path: '/portfolios', token, body: { name: 'Bench', baseCurrency: 'USD' } },
      201,
    );
    const portfolioId = (created.body as { portfolioId: string }).portfolioId;
    const tradesPath = `/portfolios/${portfolioId}/trades`;
    const routePath = '/portfolios/{portfolioId}/trades';
    const common = { path: tradesPath, routePath, pathParameters: { portfolioId }, token };

    const bookSamples = await timeSequentially(options, (index) =>
      invoke(bookTrade.main, 'bookTrade', { ...common, method: 'POST', body: buyTrade(index) }, 201),
    );
    const listSamples = await timeSequentially(options, () =>
      invoke(listTrades.main, 'listTrades', { ...common, method: 'GET' }, 200),
    );
    const firstPage = await invoke(listTrades.main, 'listTrades', { ...common, method: 'GET' }, 200);
    const pageSize = (firstPage.body as { items: unknown[] }).items.length;
    const summary = (route: string, samples: number[]): RouteLatency => ({
      route,
      requests: samples.length,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
    });
    return {
      routes: [summary(`POST ${routePath}`, bookSamples), summary(`GET ${routePath}`, listSamples)],
      tradesInPortfolio: options.warmup + options.requests,
      pageSize,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await dynamo.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
};
