import { performance } from 'node:perf_hooks';
// Relative imports: the root package does not depend on the workspace packages by name.
import { localSubFor } from '../packages/local-stack/src';
import { MAX_IMPORT_CONTENT_BYTES } from '../packages/trade-model/src/schemas/import';
import { generatedRow, HEADER, MAPPING } from '../services/trades/src/domain/imports/measure';
import { type HttpHandler, invoke, withLocalTrades } from './local-trades';
import { firstLine } from './table';

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
  /** `inline` (content in the POST body) or `upload` (POST of the presigned upload form). */
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

/**
 * End-to-end import (issue 3): createImport → file stored in the local S3 server → processImport on the
 * ObjectCreated event → trades booked in DynamoDB Local, all through the real handlers in this process.
 * Servers or tables that cannot start throw; a handler's unexpected answer is reported as `failure`.
 */
export const measureImportEndToEnd = (options: ImportOptions): Promise<ImportReport> =>
  withLocalTrades(
    { ...options, handlers: HANDLERS, s3: true },
    async ({ modules, issuer, resourceNames }) => {
      const bucket = resourceNames.IMPORTS_BUCKET;
      if (bucket === undefined || resourceNames.TRADES_TABLE === undefined) {
        throw new Error('The packaged template has no function with IMPORTS_BUCKET and TRADES_TABLE');
      }
      const createPortfolio = modules.createPortfolio.main as HttpHandler;
      const createImport = modules.createImport.main as HttpHandler;
      const processImport = modules.processImport.main as S3Handler;
      const getImport = modules.getImport.main as HttpHandler;
      const token = await issuer.signAccessToken(USERNAME);
      const csv = generateCsv(options.rows);
      const fileBytes = Buffer.byteLength(csv, 'utf8');
      const delivery = fileBytes <= MAX_IMPORT_CONTENT_BYTES ? 'inline' : 'upload';

      const created = await invoke(
        createPortfolio,
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
          createImport,
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
        const body = answer.body as {
          importId: string;
          uploadUrl?: string;
          uploadFields?: Record<string, string>;
        };
        importId = body.importId;
        if (delivery === 'upload') {
          if (body.uploadUrl === undefined || body.uploadFields === undefined)
            throw new Error('createImport answered without an upload form');
          const form = new FormData();
          for (const [name, value] of Object.entries(body.uploadFields)) form.append(name, value);
          form.append('file', new Blob([csv]));
          const posted = await fetch(body.uploadUrl, { method: 'POST', body: form });
          if (!posted.ok) throw new Error(`POST to the presigned upload form answered ${posted.status}`);
        }
        report.createMs = performance.now() - started;
        const processStarted = performance.now();
        await processImport(
          objectCreatedEvent(bucket, `${localSubFor(USERNAME)}/${portfolioId}/${importId}/source`),
        );
        report.processSeconds = (performance.now() - processStarted) / 1000;
        report.seconds = (performance.now() - started) / 1000;
      } catch (error: unknown) {
        report.seconds = (performance.now() - started) / 1000;
        report.failure = firstLine(error);
      }
      if (importId !== undefined) {
        try {
          const read = await invoke(
            getImport,
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
          report.failure ??= `getImport: ${firstLine(error)}`;
        }
      }
      return report;
    },
  );
