import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { datasetProfileRows } from './dataset-profile';
import { EOD_BENCH, eodRows } from './eod';
import { extractFunction, initEnvironment, measureInit } from './init-time';
import { lotEngineRows } from './lot-engine';
import { describeMachine } from './machine';
import { marketUniverseRows } from './market-universe';
import { packageService, type ServicePackage, serviceDirs } from './packaging';
import { performanceFigureRows } from './performance-figures';
import { POSITIONS_READ, positionsReadRows } from './positions-read';
import { againstTarget, firstLine, markdownTable, type ResultRow } from './table';

const REPO_ROOT = path.resolve(__dirname, '..');
const STAGE = 'bench';
const TARGETS = { handlerKiB: 300, initMs: 150, p99Ms: 20, importSeconds: 10 } as const;
const INIT_RUNS = 5;
const LOAD = { warmup: 100, requests: 1000 } as const;
const IMPORT_ROWS = 10_000;
/** Trade POST → WebSocket push: bounded samples on the whole local platform. */
const LIVE = { warmup: 5, samples: 50, p50TargetMs: 300 } as const;
// issue 7: the same export at two sizes shows whether memory grows with the portfolio
const EXPORT_SIZES = [10_000, 100_000] as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

interface LatencySection {
  rows: ResultRow[];
  note: string;
  crashed: boolean;
}

const bundleRows = async (packages: readonly ServicePackage[], workDir: string): Promise<ResultRow[]> => {
  const sizeRows: ResultRow[] = [];
  const initRows: ResultRow[] = [];
  for (const pkg of packages) {
    if (pkg.status === 'failed') {
      sizeRows.push({
        measurement: 'bundle size (unzipped handler JS)',
        subject: pkg.service,
        value: `packaging failed: ${pkg.error}`,
        target: `<= ${TARGETS.handlerKiB} KB`,
        result: 'FAILED',
      });
      continue;
    }
    if (pkg.functions.length === 0) {
      sizeRows.push({
        measurement: 'bundle size (unzipped handler JS)',
        subject: pkg.service,
        value: 'no function zips',
        target: '-',
        result: 'info',
      });
      continue;
    }
    // What Lambda's Node runtime resolves @aws-sdk/* from; the service's own copy stands in for it.
    const nodePath = [path.join(pkg.serviceDir, 'node_modules'), path.join(REPO_ROOT, 'node_modules')];
    for (const fn of pkg.functions) {
      const subject = `${fn.service}/${fn.name}`;
      sizeRows.push({
        measurement: 'bundle size (unzipped handler JS)',
        subject,
        value: `${kib(fn.handlerBytes)} (zip ${kib(fn.zipBytes)})`,
        target: `<= ${TARGETS.handlerKiB} KB`,
        result: againstTarget(fn.handlerBytes, TARGETS.handlerKiB * 1024),
      });
      progress(`init ${subject}`);
      try {
        const handlerFile = extractFunction(fn, path.join(workDir, 'task', fn.service, fn.name));
        const timing = await measureInit(fn, handlerFile, initEnvironment(fn, nodePath), INIT_RUNS);
        initRows.push({
          measurement: `module init (median of ${INIT_RUNS})`,
          subject,
          value: ms(timing.medianMs),
          target: `<= ${TARGETS.initMs} ms`,
          result: againstTarget(timing.medianMs, TARGETS.initMs),
        });
      } catch (error: unknown) {
        initRows.push({
          measurement: 'module init',
          subject,
          value: `init failed: ${firstLine(error)}`,
          target: `<= ${TARGETS.initMs} ms`,
          result: 'FAILED',
        });
      }
    }
  }
  return [...sizeRows, ...initRows];
};

const latencyRows = async (trades: ServicePackage | undefined): Promise<LatencySection> => {
  const load = `${LOAD.requests} sequential requests per route after ${LOAD.warmup} warm-up, handlers in-process against DynamoDB Local`;
  if (trades?.status !== 'packaged') {
    const reason = trades === undefined ? 'no services/trades' : 'trades did not package';
    return {
      rows: [{ measurement: 'latency', subject: 'trades API', value: reason, target: '-', result: 'FAILED' }],
      note: `latency: not measured (${reason})`,
      crashed: false,
    };
  }
  try {
    progress(`latency: DynamoDB Local, ${LOAD.warmup} + ${LOAD.requests} POST, then as many GET`);
    // Imported late: a broken local stack must not hide the figures measured before it.
    const { measureTradeLatency } = await import('./latency');
    const report = await measureTradeLatency({
      packagedTradesDir: path.dirname(trades.packagedDir),
      tradesSourceDir: trades.serviceDir,
      ...LOAD,
    });
    return {
      note: `latency: ${load}; the GET lists a portfolio of ${report.tradesInPortfolio} trades (page of ${report.pageSize})`,
      crashed: false,
      rows: report.routes.flatMap((route): ResultRow[] => [
        {
          measurement: 'latency p50',
          subject: route.route,
          value: ms(route.p50Ms),
          target: '-',
          result: 'info',
        },
        {
          measurement: 'latency p99',
          subject: route.route,
          value: ms(route.p99Ms),
          target: `<= ${TARGETS.p99Ms} ms`,
          result: againstTarget(route.p99Ms, TARGETS.p99Ms),
        },
      ]),
    };
  } catch (error: unknown) {
    process.stderr.write(
      `bench: latency crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return {
      rows: [
        {
          measurement: 'latency',
          subject: 'trades API',
          value: `crashed: ${firstLine(error)}`,
          target: '-',
          result: 'FAILED',
        },
      ],
      note: `latency: crashed (${load})`,
      crashed: true,
    };
  }
};

/** Issue 3: parse + validate a 100,000-row generic CSV in-process, as an import does (bundled like Lambda code). */
const importParseRows = async (): Promise<ResultRow[]> => {
  progress('import parse: 100,000-row generic-csv, 3 passes in a fresh node process');
  try {
    const { runParseMeasurement } = await import('../services/trades/src/domain/imports/measure');
    const result = await runParseMeasurement(100_000);
    const subject = `generic-csv ${result.rows.toLocaleString('en')} rows (${result.fileMiB.toFixed(1)} MiB)`;
    return [
      {
        measurement: 'import parse + validate (median of 3)',
        subject,
        value: `${Math.round(result.rowsPerSecond).toLocaleString('en')} rows/s (passes ${result.passes.map((pass) => Math.round(pass).toLocaleString('en')).join(' / ')})`,
        target: '>= 100,000 rows/s',
        result: result.rowsPerSecond >= 100_000 ? 'pass' : 'UNDER',
      },
      {
        measurement: 'import parse peak RSS',
        subject,
        value: `${result.peakRssMiB.toFixed(0)} MB`,
        target: '<= 256 MB',
        result: againstTarget(result.peakRssMiB, 256),
      },
    ];
  } catch (error: unknown) {
    return [
      {
        measurement: 'import parse',
        subject: 'generic-csv',
        value: firstLine(error),
        target: '-',
        result: 'FAILED',
      },
    ];
  }
};

/**
 * Issue 3: a 10,000-row generic-csv file imported end to end (createImport, processImport on the S3 event)
 * by the real handlers in-process, against DynamoDB Local and the local S3 server.
 */
const importEndToEndRows = async (trades: ServicePackage | undefined): Promise<LatencySection> => {
  const measurement = 'import end-to-end (createImport → SUCCEEDED)';
  const target = `<= ${TARGETS.importSeconds} s`;
  const subject = `generic-csv ${IMPORT_ROWS.toLocaleString('en')} rows`;
  if (trades?.status !== 'packaged') {
    const reason = trades === undefined ? 'no services/trades' : 'trades did not package';
    return {
      rows: [{ measurement, subject, value: reason, target, result: 'FAILED' }],
      note: `import: not measured (${reason})`,
      crashed: false,
    };
  }
  try {
    progress(`import: ${IMPORT_ROWS.toLocaleString('en')}-row generic-csv, DynamoDB Local + local S3`);
    const { measureImportEndToEnd } = await import('./import-e2e');
    const report = await measureImportEndToEnd({
      packagedTradesDir: path.dirname(trades.packagedDir),
      tradesSourceDir: trades.serviceDir,
      rows: IMPORT_ROWS,
    });
    const fullSubject = `generic-csv ${IMPORT_ROWS.toLocaleString('en')} rows (${report.fileMiB.toFixed(2)} MiB, ${report.delivery})`;
    const counts = report.counts;
    const complete =
      report.failure === undefined &&
      counts?.status === 'SUCCEEDED' &&
      counts.imported === IMPORT_ROWS &&
      counts.rows === IMPORT_ROWS;
    const rowsPerSecond = Math.round(IMPORT_ROWS / report.seconds).toLocaleString('en');
    const countsText =
      counts === undefined
        ? 'no import record'
        : `${counts.status}: rows ${counts.rows.toLocaleString('en')}, imported ${counts.imported.toLocaleString('en')}, duplicates ${counts.duplicates}, skipped ${counts.skipped}, errors ${counts.errors.length}`;
    const firstError = counts?.errors[0];
    const problem =
      report.failure ??
      (firstError === undefined
        ? undefined
        : `row ${firstError.row} ${firstError.field}: ${firstError.message}`);
    return {
      note: `import: createImport (POST …/imports, file ${report.delivery === 'inline' ? 'inline as `content`' : 'PUT to the presigned uploadUrl'}) then processImport on a hand-built S3 ObjectCreated event, real handlers in-process against DynamoDB Local and the local S3 server; counts read back with getImport`,
      crashed: false,
      rows: [
        {
          measurement,
          subject: fullSubject,
          value: complete
            ? `${report.seconds.toFixed(2)} s, ${rowsPerSecond} rows/s (create ${report.createMs.toFixed(0)} ms, process ${report.processSeconds.toFixed(2)} s)`
            : `did not complete after ${report.seconds.toFixed(2)} s${problem === undefined ? '' : `: ${problem}`}`,
          target,
          result: complete ? againstTarget(report.seconds, TARGETS.importSeconds) : 'FAILED',
        },
        {
          measurement: 'import end-to-end result (getImport)',
          subject: fullSubject,
          value: countsText,
          target: `SUCCEEDED, imported = ${IMPORT_ROWS.toLocaleString('en')}`,
          result: complete ? 'pass' : 'FAILED',
        },
      ],
    };
  } catch (error: unknown) {
    process.stderr.write(
      `bench: import crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return {
      rows: [{ measurement, subject, value: `crashed: ${firstLine(error)}`, target, result: 'FAILED' }],
      note: 'import: crashed (local stack)',
      crashed: true,
    };
  }
};

/** Issue 6: trade POST → WebSocket `positions` push, on the local platform (`pnpm dev`, in this process). */
const liveLatencyRows = async (): Promise<LatencySection> => {
  const subject = 'trade POST → WebSocket positions push (local platform)';
  const note = `live: ${LIVE.samples} sequential BUYs over HTTP after ${LIVE.warmup} warm-up, one subscribed socket; gateway → offline → DynamoDB Local → stream poll (50 ms) → positions consumer → @connections`;
  try {
    progress(
      `live: starting the local platform (trades, positions, market-data) for ${LIVE.samples} samples`,
    );
    const { measureLiveLatency } = await import('./live-latency');
    const report = await measureLiveLatency({ ...LIVE, log: (line) => progress(`live: ${line}`) });
    return {
      note: `${note}; the POST itself answered in ${ms(report.postP50Ms)} (p50); platform start ${report.startSeconds.toFixed(1)} s`,
      crashed: false,
      rows: [
        {
          measurement: `latency p50 (${report.samples} samples)`,
          subject,
          value: ms(report.p50Ms),
          target: `<= ${LIVE.p50TargetMs} ms`,
          result: againstTarget(report.p50Ms, LIVE.p50TargetMs),
        },
        {
          measurement: `latency p99 (${report.samples} samples)`,
          subject,
          value: `${ms(report.p99Ms)} (max ${ms(report.maxMs)})`,
          target: '-',
          result: 'info',
        },
      ],
    };
  } catch (error: unknown) {
    process.stderr.write(
      `bench: live crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return {
      rows: [
        {
          measurement: 'latency',
          subject,
          value: `crashed: ${firstLine(error)}`,
          target: '-',
          result: 'FAILED',
        },
      ],
      note: `${note}; crashed`,
      crashed: true,
    };
  }
};

/**
 * Issue 7: GET …/export of a 10,000- and a 100,000-trade portfolio by the real handler in-process, against
 * DynamoDB Local and the local S3 server: time and this process's peak RSS during each request.
 */
const exportRows = async (trades: ServicePackage | undefined): Promise<LatencySection> => {
  const measurement = 'export (GET …/export, streamed to S3)';
  if (trades?.status !== 'packaged') {
    const reason = trades === undefined ? 'no services/trades' : 'trades did not package';
    return {
      rows: [{ measurement, subject: 'trades', value: reason, target: '-', result: 'FAILED' }],
      note: `export: not measured (${reason})`,
      crashed: false,
    };
  }
  try {
    progress(
      `export: ${EXPORT_SIZES.map((size) => size.toLocaleString('en')).join(' and ')} trades (seeding first)`,
    );
    const { measureExports } = await import('./export-e2e');
    const runs = await measureExports({
      packagedTradesDir: path.dirname(trades.packagedDir),
      tradesSourceDir: trades.serviceDir,
      sizes: EXPORT_SIZES,
    });
    return {
      note:
        'export: portfolios seeded through the trades store (untimed), then one exportPortfolio request each; ' +
        'RSS is the whole bench process (the local S3 server runs in it too), sampled every 10 ms; ' +
        'the document is downloaded afterwards and its trades counted',
      crashed: false,
      rows: runs.flatMap((run): ResultRow[] => {
        const subject = `${run.trades.toLocaleString('en')} trades (${(run.bytes / 1024 / 1024).toFixed(1)} MiB, ${run.delivery})`;
        const complete = run.tradesInDocument === run.trades;
        return [
          {
            measurement,
            subject,
            value: `${run.exportSeconds.toFixed(2)} s (${Math.round(run.trades / run.exportSeconds).toLocaleString('en')} trades/s)`,
            target: 'no target',
            result: complete ? 'info' : 'FAILED',
          },
          {
            measurement: 'export peak RSS',
            subject,
            value: `${run.rssPeakMiB.toFixed(0)} MiB (+${(run.rssPeakMiB - run.rssBeforeMiB).toFixed(0)} MiB over the ${run.rssBeforeMiB.toFixed(0)} MiB before; heap ${run.heapBeforeMiB.toFixed(0)} -> peak ${run.heapPeakMiB.toFixed(0)} MiB)`,
            target: 'flat in portfolio size',
            result: 'info',
          },
        ];
      }),
    };
  } catch (error: unknown) {
    process.stderr.write(
      `bench: export crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return {
      rows: [
        {
          measurement,
          subject: 'trades',
          value: `crashed: ${firstLine(error)}`,
          target: '-',
          result: 'FAILED',
        },
      ],
      note: 'export: crashed (local stack)',
      crashed: true,
    };
  }
};

const main = async (): Promise<number> => {
  const started = performance.now();
  // The machines run Node 20 (Lambda runs 22): the SDK's per-process notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-'));
  try {
    const packages: ServicePackage[] = [];
    for (const dir of serviceDirs(REPO_ROOT)) {
      progress(`serverless package --stage ${STAGE} in services/${path.basename(dir)}`);
      mkdirSync(path.join(workDir, 'packaged'), { recursive: true });
      packages.push(await packageService(REPO_ROOT, dir, path.join(workDir, 'packaged'), STAGE));
    }
    const rows = await bundleRows(packages, workDir);
    const latency = await latencyRows(packages.find((pkg) => pkg.service === 'trades'));
    rows.push(...latency.rows);
    rows.push(...(await importParseRows()));
    const importE2e = await importEndToEndRows(packages.find((pkg) => pkg.service === 'trades'));
    rows.push(...importE2e.rows);
    const exports = await exportRows(packages.find((pkg) => pkg.service === 'trades'));
    rows.push(...exports.rows);
    progress('lot engine: replay of 1,000,000 trades; applyTrade as the history grows (fresh node process)');
    rows.push(...(await lotEngineRows()));
    progress('dataset profiling (100 MB CSV)');
    rows.push(...(await datasetProfileRows()));
    const packagedDirs = packages.flatMap((pkg) =>
      pkg.status === 'packaged' && ['trades', 'positions', 'market-data'].includes(pkg.service)
        ? [path.dirname(pkg.packagedDir)]
        : [],
    );
    progress(`positions read: GET positions of ${POSITIONS_READ.positions} positions, DynamoDB Local`);
    rows.push(...(await positionsReadRows(packagedDirs)));
    progress(
      `EOD: snapshot of ${EOD_BENCH.portfolios} portfolios × ${EOD_BENCH.positions} positions, performance over ${EOD_BENCH.performanceYears} years, DynamoDB Local`,
    );
    rows.push(...(await eodRows(packagedDirs)));
    const live = await liveLatencyRows();
    rows.push(...live.rows);
    progress('web client: bundle gzip; first positions render (local platform + headless Chromium)');
    const web = await import('./web-client');
    rows.push(...(await web.webBundleRows()));
    rows.push(
      ...(await web
        .firstRenderRows((line) => progress(`web: ${line}`))
        .catch((error: unknown) => {
          process.stderr.write(
            `bench: web first render crashed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          return [] as ResultRow[];
        })),
    );
    progress('performance figures: 10 years of daily values, 30 runs');
    rows.push(...(await performanceFigureRows()));
    progress('market universe: 100 symbols, five years of closes, 20 runs');
    rows.push(...(await marketUniverseRows()));
    progress('AutoML: every family, 10 folds, kupala and scikit-learn side by side');
    const { measureAutoMl } = await import('./automl');
    const automl = await measureAutoMl();
    rows.push(...automl.rows);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        `## Kupala bench — ${describeMachine()}`,
        '',
        markdownTable(rows),
        '',
        `- bundle: the handler file inside each function zip of \`serverless package --stage ${STAGE}\`, unzipped; 1 KB = 1,024 bytes`,
        `- init: \`require()\` of that file in a fresh node process, median of ${INIT_RUNS} (after 1 discarded run)`,
        `- ${latency.note}`,
        `- ${importE2e.note}`,
        `- ${exports.note}`,
        '- lot engine: bench/lot-engine-measure.ts bundled like Lambda code, in a fresh node process; replay rates per second of that process’s CPU time (one core, GC included) and of wall time',
        `- positions read: GET …/positions of a ${POSITIONS_READ.positions}-position portfolio (2 lots and a price each, seeded through the positions store), the bundled handler in-process against DynamoDB Local (Positions, Trades and MarketData tables), ${POSITIONS_READ.requests} sequential requests after ${POSITIONS_READ.warmup} warm-up`,
        `- EOD: the nightly run (scheduleEod's scan, then the buildEod worker on batches of portfolios, production adapters) for one day of each of ${EOD_BENCH.portfolios} portfolios of ${EOD_BENCH.positions} positions (trades and closes seeded in DynamoDB Local), ${EOD_BENCH.invocations} batches at a time in one process, every DynamoDB request counted; GET …/performance: the bundled handler in-process over ${EOD_BENCH.performanceYears} years of EOD items`,
        `- ${live.note}`,
        `- web client: the entry script and CSS as \`dev\` builds them (esbuild, minified), gzip -9; first render: a page per load with the browser cache disabled opens the positions page of a ${web.WEB.positions}-position portfolio, navigation start → last row in the DOM, first load discarded`,
        '- performance figures: computePerformance (@kupala/performance) over 2,520 generated daily values with monthly flows, bundled like Lambda code, in-process, after one warm-up call',
        `- bench run took ${seconds} s; benchmarks never fail the build`,
        '',
        automl.details,
        '',
      ].join('\n'),
    );
    return latency.crashed || importE2e.crashed || exports.crashed || live.crashed ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
