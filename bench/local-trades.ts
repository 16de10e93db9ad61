import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// Relative imports: the root package does not depend on the workspace packages by name.
import {
  bucketNamesFromResources,
  createBuckets,
  createTables,
  LOCAL_REGION,
  type LocalIssuer,
  loadOrCreateLocalIssuer,
  localAuthEnvironment,
  localAwsCredentials,
  type RunningLocalS3,
  readPackagedResources,
  resourceNameVariablesFromResources,
  startDynamoDbLocal,
  startLocalS3,
  tableInputsFromResources,
} from '../packages/local-stack/src';
import { httpEvent, lambdaContext, type TestRequest } from '../packages/trade-model/src/testing';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';

export type HttpHandler = (
  event: ReturnType<typeof httpEvent>,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode?: number; body?: string } | undefined>;

export interface LocalTradesOptions<Name extends string> {
  /** A packaged trades service dir: `<dir>/.serverless/cloudformation-template-update-stack.json`. */
  packagedTradesDir: string;
  /** Where the handlers' sources live (services/trades). */
  tradesSourceDir: string;
  /** Functions under services/trades/src/functions/ to bundle and load. */
  handlers: readonly Name[];
  /** Also start the local S3 server and create the template's buckets. */
  s3: boolean;
}

export interface LocalTrades<Name extends string> {
  /** Each function's bundled module; `main` is its Lambda handler. */
  modules: Record<Name, { main: unknown }>;
  issuer: LocalIssuer;
  /** Function environment variables naming the template's tables and buckets (TRADES_TABLE, …). */
  resourceNames: Record<string, string>;
}

/**
 * Bundles `names` the way serverless-esbuild does for Lambda (the options of config/serverless/shared.yml),
 * because @middy/core 7 is ESM-only and tsx runs this workspace as CommonJS, so
 * `import('services/trades/src/.../handler.ts')` cannot load it.
 */
const bundleHandlers = async <Name extends string>(
  tradesSourceDir: string,
  outdir: string,
  names: readonly Name[],
): Promise<Record<Name, string>> => {
  await build({
    ...(await lambdaBuildOptions()),
    entryPoints: Object.fromEntries(
      names.map((name) => [name, path.join(tradesSourceDir, 'src', 'functions', name, 'handler.ts')]),
    ),
    outdir,
    // The SDK is bundled in, not left to the runtime: the bundles live in a temp dir with no node_modules.
    external: [],
    logLevel: 'error',
  });
  return Object.fromEntries(names.map((name) => [name, path.join(outdir, `${name}.js`)])) as Record<
    Name,
    string
  >;
};

/**
 * Runs `measure` against the real trades handlers in this process: DynamoDB Local (and the local S3 server)
 * started for it, tables and buckets from the bench-stage packaged template, a local issuer whose tokens
 * the handlers verify. Everything is stopped afterwards, and on Ctrl-C too.
 */
export const withLocalTrades = async <Name extends string, Result>(
  options: LocalTradesOptions<Name>,
  measure: (trades: LocalTrades<Name>) => Promise<Result>,
): Promise<Result> => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-trades-'));
  const dynamo = await startDynamoDbLocal();
  let s3: RunningLocalS3 | undefined;
  const stop = () => Promise.allSettled([dynamo.stop(), s3?.stop()]);
  // DynamoDB Local runs in its own process group: an interrupted bench must still stop it.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    if (options.s3) s3 = await startLocalS3();
    const resources = await readPackagedResources(options.packagedTradesDir);
    await createTables(dynamo.endpoint, tableInputsFromResources(resources));
    if (s3 !== undefined) await createBuckets(s3.endpoint, bucketNamesFromResources(resources));
    const resourceNames = resourceNameVariablesFromResources(resources);
    const issuer = await loadOrCreateLocalIssuer(workDir);
    // Configuration is read at cold start: set it before the handler modules are first imported.
    Object.assign(process.env, {
      ...resourceNames,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localAwsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      ...(s3 === undefined ? {} : { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_S3_FORCE_PATH_STYLE: 'true' }),
      ...localAuthEnvironment(issuer),
      STAGE: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_SERVICE_NAME: 'kupala-trades',
    });
    const bundles = await bundleHandlers(
      options.tradesSourceDir,
      path.join(workDir, 'handlers'),
      options.handlers,
    );
    const loaded = await Promise.all(
      options.handlers.map(async (name) => [name, (await import(bundles[name])) as { main: unknown }]),
    );
    const modules = Object.fromEntries(loaded) as Record<Name, { main: unknown }>;
    return await measure({ modules, issuer, resourceNames });
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await stop();
    rmSync(workDir, { recursive: true, force: true });
  }
};

/** One request through a handler's whole middy stack; building the event is outside the timed span. */
export const invoke = async (
  handler: HttpHandler,
  functionName: string,
  request: TestRequest,
  expectedStatus: number,
  /** The time the function has (middy answers early before it runs out); the test context's 10 s by default. */
  remainingMs?: number,
): Promise<{ elapsedMs: number; body: unknown }> => {
  const event = httpEvent(request);
  const context = lambdaContext(functionName);
  if (remainingMs !== undefined) context.getRemainingTimeInMillis = () => remainingMs;
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
