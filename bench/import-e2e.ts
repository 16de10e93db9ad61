import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
// Relative imports: the root package does not depend on the workspace packages by name.
import {
  createBuckets,
  createTables,
  functionEnvironmentsFromResources,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  loadOrCreateLocalIssuer,
  localSubFor,
  readPackagedResources,
  startDynamoDbLocal,
  startLocalS3,
  tableInputsFromResources,
} from '../packages/local-stack/src';
import { MAX_IMPORT_CONTENT_BYTES } from '../packages/trade-model/src/schemas/import';
import { generatedRow, HEADER, MAPPING } from '../services/trades/src/domain/imports/measure';
import { bundleHandlers, type HttpHandler, invoke } from './latency';

export interface ImportOptions {
  /** A packaged trades service dir: `<dir>/.serverless/cloudformation-template-update-stack.json`. */
  packagedTradesDir: string;
  /** Where the handlers' sources live (services/trades). */
  tradesSourceDir: string;
  rows: number;
}

export interface ImportCounts {
  status: string;
  rows: number;
  imported: number;
  duplicates: number;
  skipped: number;
  errors: { row: number; field: string; message: string }[];
}

export interface ImportReport {
  rows: number;
  fileMiB: number;
  /** `inline` (content in the POST body) or `upload` (PUT to the presigned URL). */
  delivery: 'inline' | 'upload';
  /** From the createImport call to processImport's return. */
  seconds: number;
  createMs: number;
  processSeconds: number;
  /** What getImport answers afterwards; undefined when a handler failed before that. */
  counts: ImportCounts | undefined;
  /** Why the import did not complete (a handler's unexpected answer or exception). */
  failure: string | undefined;
}

type S3Handler = (event: unknown) => Promise<void>;

const USERNAME = 'bench-importer';
const HANDLERS = ['createPortfolio', 'createImport', 'processImport', 'getImport'] as const;

// The generic-csv layout of the parse measurement: every row distinct, so every row is booked.

export const generateCsv = (rows: number): string => {
  const lines = [HEADER];
  for (let index = 0; index < rows; index++) lines.push(generatedRow(index));
  return lines.join('');
};

/** An S3 ObjectCreated event as S3 sends it (key URL-encoded), like the integration tests build it. */
const objectCreatedEvent = (bucket: string, key: string) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1 },
      },
    },
  ],
});

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/**
 * End-to-end import (issue 3): createImport → file stored in the local S3 server → processImport on the
 * ObjectCreated event → trades booked in DynamoDB Local, all through the real handlers in this process.
 * Servers or tables that cannot start throw; a handler's unexpected answer is reported as `failure`.
 */
export const measureImportEndToEnd = async (options: ImportOptions): Promise<ImportReport> => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-import-'));
  const dynamo = await startDynamoDbLocal();
  const s3 = await startLocalS3().catch(async (error: unknown) => {
    await dynamo.stop();
    throw error;
  });
  // DynamoDB Local runs in its own process group: an interrupted bench must still stop it.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void Promise.allSettled([dynamo.stop(), s3.stop()]).finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const resources = await readPackagedResources(options.packagedTradesDir);
    await createTables(dynamo.endpoint, tableInputsFromResources(resources));
    const environment = functionEnvironmentsFromResources(resources).get('ProcessImportLambdaFunction');
    const bucket = environment?.IMPORTS_BUCKET;
    const table = environment?.TRADES_TABLE;
    if (bucket === undefined || table === undefined) {
      throw new Error(
        'The packaged template has no ProcessImportLambdaFunction with IMPORTS_BUCKET and TRADES_TABLE',
      );
    }
    await createBuckets(s3.endpoint, [bucket]);
    const issuer = await loadOrCreateLocalIssuer(workDir);
    // Configuration is read at cold start: set it before the handler modules are first imported.
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      TRADES_TABLE: table,
      IMPORTS_BUCKET: bucket,
      AUTH_LOCAL_ISSUER: LOCAL_ISSUER,
      AUTH_LOCAL_JWKS: JSON.stringify(issuer.publicJwks),
      AUTH_CLIENT_ID: LOCAL_CLIENT_ID,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_SERVICE_NAME: 'kupala-trades',
    });
    const bundles = await bundleHandlers(options.tradesSourceDir, path.join(workDir, 'handlers'), HANDLERS);
    const [createPortfolio, createImport, processImport, getImport] = (await Promise.all([
      import(bundles.createPortfolio),
      import(bundles.createImport),
      import(bundles.processImport),
      import(bundles.getImport),
    ])) as [{ main: HttpHandler }, { main: HttpHandler }, { main: S3Handler }, { main: HttpHandler }];
    const token = await issuer.signAccessToken(USERNAME);
    const csv = generateCsv(options.rows);
    const fileBytes = Buffer.byteLength(csv, 'utf8');
    const delivery = fileBytes <= MAX_IMPORT_CONTENT_BYTES ? 'inline' : 'upload';

    const created = await invoke(
      createPortfolio.main,
      'createPortfolio',
      { method: 'POST', path: '/portfolios', token, body: { name: 'Bench import', baseCurrency: 'USD' } },
      201,
    );
    const portfolioId = (created.body as { portfolioId: string }).portfolioId;
    const importsPath = `/portfolios/${portfolioId}/imports`;

    const report: ImportReport = {
      rows: options.rows,
      fileMiB: fileBytes / 1024 / 1024,
      delivery,
      seconds: 0,
      createMs: 0,
      processSeconds: 0,
      counts: undefined,
      failure: undefined,
    };
    let importId: string | undefined;
    const started = performance.now();
    try {
      const answer = await invoke(
        createImport.main,
        'createImport',
        {
          method: 'POST',
          path: importsPath,
          routePath: '/portfolios/{portfolioId}/imports',
          pathParameters: { portfolioId },
          token,
          body: {
            format: 'generic-csv',
            mapping: MAPPING,
            ...(delivery === 'inline' ? { content: csv } : {}),
          },
        },
        202,
      );
      const body = answer.body as { importId: string; uploadUrl?: string };
      importId = body.importId;
      if (delivery === 'upload') {
        if (body.uploadUrl === undefined) throw new Error('createImport answered without an uploadUrl');
        const put = await fetch(body.uploadUrl, { method: 'PUT', body: csv });
        if (!put.ok) throw new Error(`PUT to the presigned uploadUrl answered ${put.status}`);
      }
      report.createMs = performance.now() - started;
      const processStarted = performance.now();
      await processImport.main(
        objectCreatedEvent(bucket, `${localSubFor(USERNAME)}/${portfolioId}/${importId}/source`),
      );
      report.processSeconds = (performance.now() - processStarted) / 1000;
      report.seconds = (performance.now() - started) / 1000;
    } catch (error: unknown) {
      report.seconds = (performance.now() - started) / 1000;
      report.failure = errorText(error);
    }
    if (importId !== undefined) {
      try {
        const read = await invoke(
          getImport.main,
          'getImport',
          {
            method: 'GET',
            path: `${importsPath}/${importId}`,
            routePath: '/portfolios/{portfolioId}/imports/{importId}',
            pathParameters: { portfolioId, importId },
            token,
          },
          200,
        );
        report.counts = read.body as ImportCounts;
      } catch (error: unknown) {
        report.failure ??= `getImport: ${errorText(error)}`;
      }
    }
    return report;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await Promise.allSettled([dynamo.stop(), s3.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  }
};
