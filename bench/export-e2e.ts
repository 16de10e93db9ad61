import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
// Relative imports: the root package does not depend on the workspace packages by name.
import { localSubFor } from '../packages/local-stack/src';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import { type HttpHandler, invoke, withLocalTrades } from './local-trades';

type SeedModule = typeof import('./export-seed');

/** The seeder bundled like the handlers (the workspace's middy is ESM-only; tsx runs CommonJS). */
const loadSeeder = async (): Promise<{ seeder: SeedModule; cleanUp: () => void }> => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-seed-'));
  await build({
    ...(await lambdaBuildOptions()),
    entryPoints: { seed: path.join(__dirname, 'export-seed.ts') },
    outdir,
    external: [],
    logLevel: 'error',
  });
  const seeder = (await import(path.join(outdir, 'seed.js'))) as SeedModule;
  return { seeder, cleanUp: () => rmSync(outdir, { recursive: true, force: true }) };
};

export interface ExportOptions {
  /** A packaged trades service dir: `<dir>/.serverless/cloudformation-template-update-stack.json`. */
  packagedTradesDir: string;
  /** Where the handlers' sources live (services/trades). */
  tradesSourceDir: string;
  /** Portfolio sizes to export, smallest first (each its own portfolio). */
  sizes: readonly number[];
}

export interface ExportRun {
  trades: number;
  seedSeconds: number;
  /** The export request alone: paging through DynamoDB Local, streaming to the local S3 server. */
  exportSeconds: number;
  /** The answer: inline (the document) or a download URL. */
  delivery: 'inline' | 'download';
  bytes: number;
  /** RSS of this process before the request and its peak during it (sampled every 10 ms). */
  rssBeforeMiB: number;
  rssPeakMiB: number;
  heapBeforeMiB: number;
  heapPeakMiB: number;
  /** Trades in the downloaded document (checked after the timed span). */
  tradesInDocument: number;
}

const USERNAME = 'bench-exporter';
const HANDLERS = ['createPortfolio', 'exportPortfolio'] as const;
const mib = (bytes: number) => bytes / 1024 / 1024;

/**
 * Issue 7 item 10: exports of portfolios of `sizes` trades through the real exportPortfolio handler
 * in-process (DynamoDB Local + the local S3 server), with the process's peak RSS during each request.
 * Portfolios are seeded through the trades store (untimed), 49 trades a transaction.
 */
export const measureExports = (options: ExportOptions): Promise<ExportRun[]> =>
  withLocalTrades(
    { ...options, handlers: HANDLERS, s3: true },
    async ({ modules, issuer, resourceNames }) => {
      const createPortfolio = modules.createPortfolio.main as HttpHandler;
      const { seeder, cleanUp } = await loadSeeder();
      const sub = localSubFor(USERNAME);
      const exportPortfolio = modules.exportPortfolio.main as HttpHandler;
      const token = await issuer.signAccessToken(USERNAME);
      const runs: ExportRun[] = [];
      for (const size of options.sizes) {
        const created = await invoke(
          createPortfolio,
          'createPortfolio',
          {
            method: 'POST',
            path: '/portfolios',
            token,
            body: { name: `Bench ${size}`, baseCurrency: 'USD' },
          },
          201,
        );
        const portfolioId = (created.body as { portfolioId: string }).portfolioId;
        const seedStarted = performance.now();
        await seeder.seedTrades(String(resourceNames.TRADES_TABLE), sub, portfolioId, size);
        const seedSeconds = (performance.now() - seedStarted) / 1000;

        global.gc?.();
        const before = process.memoryUsage();
        let rssPeak = before.rss;
        let heapPeak = before.heapUsed;
        const sampler = setInterval(() => {
          const now = process.memoryUsage();
          rssPeak = Math.max(rssPeak, now.rss);
          heapPeak = Math.max(heapPeak, now.heapUsed);
        }, 10);
        const started = performance.now();
        const answer = await invoke(
          exportPortfolio,
          'exportPortfolio',
          {
            method: 'GET',
            path: `/portfolios/${portfolioId}/export`,
            routePath: '/portfolios/{portfolioId}/export',
            pathParameters: { portfolioId },
            token,
          },
          200,
          // measured past Lambda's 29 s on purpose: the figure says how far a slow store is from it
          15 * 60 * 1000,
        );
        const exportSeconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        const after = process.memoryUsage();
        rssPeak = Math.max(rssPeak, after.rss);
        heapPeak = Math.max(heapPeak, after.heapUsed);

        const body = answer.body as { downloadUrl?: string; bytes?: number; trades?: unknown[] };
        let tradesInDocument = body.trades?.length ?? 0;
        let bytes = Buffer.byteLength(JSON.stringify(body));
        if (body.downloadUrl !== undefined) {
          const text = await (await fetch(body.downloadUrl)).text();
          tradesInDocument = (JSON.parse(text) as { trades: unknown[] }).trades.length;
          bytes = body.bytes ?? Buffer.byteLength(text);
        }
        runs.push({
          trades: size,
          seedSeconds,
          exportSeconds,
          delivery: body.downloadUrl === undefined ? 'inline' : 'download',
          bytes,
          rssBeforeMiB: mib(before.rss),
          rssPeakMiB: mib(rssPeak),
          heapBeforeMiB: mib(before.heapUsed),
          heapPeakMiB: mib(heapPeak),
          tradesInDocument,
        });
      }
      cleanUp();
      return runs;
    },
  );
