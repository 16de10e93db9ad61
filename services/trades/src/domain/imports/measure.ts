/*
 * Measures parse + validate of a generated generic-csv file (issue 3: ≥ 100,000 rows/s, peak RSS ≤ 256 MB):
 *   node_modules/.bin/tsx services/trades/src/domain/imports/measure.ts [rows]
 * The code is measured as it is deployed: this file is bundled by esbuild with the Lambda options of
 * config/serverless/shared.yml (minified, names kept, CommonJS) and run in a fresh `node` process, so
 * neither tsx's on-the-fly compilation nor its memory is counted (and @middy/core, ESM-only, loads).
 * That process writes the file to a temp dir (not timed), then streams it from disk through
 * parseBrokerFileBatches and validateWholeFile exactly as an import does: every row validated by
 * TradeInputSchema and fingerprinted by content hash (no id column: the slower path), three times in a
 * row. It prints one JSON line: the median pass's rows/s, every pass, and the process's peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

export interface ParseMeasurement {
  rows: number;
  trades: number;
  rowsWithErrors: number;
  fileMiB: number;
  /** Median of the timed passes over the file (the first one included: a cold start is a real case). */
  seconds: number;
  rowsPerSecond: number;
  /** Rows per second of each pass, in order. */
  passes: number[];
  peakRssMiB: number;
}

const CHILD_FLAG = 'KUPALA_IMPORT_MEASURE_CHILD';
const PASSES = 3;
export const SYMBOLS = [
  'AAPL',
  'MSFT',
  'NVDA',
  'AMZN',
  'GOOGL',
  'META',
  'TSLA',
  'BRK.B',
  'JPM',
  'V',
  'SPY',
  'QQQ',
];
export const HEADER = 'Date,Type,Symbol,Quantity,Price,Fees,Currency,Amount\n';
export const MAPPING = {
  columns: {
    tradeDate: 'Date',
    type: 'Type',
    'instrument.symbol': 'Symbol',
    quantity: 'Quantity',
    price: 'Price',
    fees: 'Fees',
    currency: 'Currency',
    amount: 'Amount',
  },
} as const;

/** Where every service takes its serverless-esbuild settings from (`esbuild: ${file(…shared.yml):esbuild}`). */
const SHARED_SERVERLESS_CONFIG = path.resolve(__dirname, '../../../../../config/serverless/shared.yml');

/**
 * The esbuild options Lambda code is deployed with: the `esbuild:` block of config/serverless/shared.yml.
 * Its serverless-esbuild-only keys are mapped as the plugin does: `exclude` (packages the Lambda runtime
 * provides) becomes `external`, `packager` is dropped.
 */
export const lambdaBuildOptions = async (): Promise<BuildOptions> => {
  // Imported lazily: the bundled measurement process never reads the config.
  const { parse } = await import('yaml');
  const shared: unknown = parse(readFileSync(SHARED_SERVERLESS_CONFIG, 'utf8'));
  const block = (shared as { esbuild?: unknown } | null)?.esbuild;
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    throw new Error(`${SHARED_SERVERLESS_CONFIG} has no esbuild map`);
  }
  const { exclude, packager: _packager, ...options } = block as Record<string, unknown>;
  return { ...options, external: Array.isArray(exclude) ? exclude.map(String) : [] } as BuildOptions;
};

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * Row `index`: buys, sells written with negative quantities and quoted prices, 1 in 10 a dividend. Dividend
 * amounts carry the index, so no two rows share a fingerprint (the import bench books every row).
 */
export const generatedRow = (index: number): string => {
  const symbol = SYMBOLS[index % SYMBOLS.length] ?? 'AAPL';
  const date = `${2020 + (index % 7)}-${pad(1 + (Math.floor(index / 28) % 12))}-${pad(1 + (index % 28))}`;
  const currency = index % 5 === 0 ? 'EUR' : 'USD';
  const quantity = `${1 + (index % 500)}`;
  const price = `${100 + (index % 400)}.${String(index % 10_000).padStart(4, '0')}`;
  if (index % 10 === 9) return `${date},DIVIDEND,${symbol},,,,${currency},${index + 1}.25\n`;
  if (index % 3 === 2) return `${date},SELL,${symbol},-${quantity},"${price}",-1.00,${currency},\n`;
  return `${date},BUY,${symbol},${quantity},${price},1.00,${currency},\n`;
};

const writeFile = async (file: string, rows: number): Promise<void> => {
  const out = createWriteStream(file);
  out.write(HEADER);
  for (let index = 0; index < rows; index++) {
    if (!out.write(generatedRow(index))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
};

/** In-process: generates `rows` rows, then times parse + validate of them streamed from disk, 3 times. */
export const measureGenericCsvParse = async (rows = 100_000): Promise<ParseMeasurement> => {
  const { parseBrokerFileBatches, validateWholeFile } = await import('./index');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kupala-import-measure-'));
  const file = path.join(dir, 'trades.csv');
  try {
    await writeFile(file, rows);
    const timings: { seconds: number; report: Awaited<ReturnType<typeof validateWholeFile>> }[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const started = process.hrtime.bigint();
      const report = await validateWholeFile(
        parseBrokerFileBatches('generic-csv', createReadStream(file), { mapping: MAPPING }),
      );
      timings.push({ seconds: Number(process.hrtime.bigint() - started) / 1e9, report });
    }
    const median = [...timings].sort((a, b) => a.seconds - b.seconds)[Math.floor(PASSES / 2)] ?? timings[0];
    if (median === undefined) throw new Error('no pass was timed');
    return {
      rows: median.report.rows,
      trades: median.report.trades,
      rowsWithErrors: median.report.rowsWithErrors,
      fileMiB: Math.round((statSync(file).size / 1024 / 1024) * 10) / 10,
      seconds: Math.round(median.seconds * 1000) / 1000,
      rowsPerSecond: Math.round(median.report.rows / median.seconds),
      passes: timings.map(({ seconds, report }) => Math.round(report.rows / seconds)),
      // maxRSS (KiB) covers the whole process, file generation included.
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Bundles this file the way Lambda code is bundled and runs the measurement in a fresh process. */
export const runParseMeasurement = async (rows = 100_000): Promise<ParseMeasurement> => {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kupala-import-measure-bundle-'));
  try {
    const bundle = path.join(dir, 'measure.cjs');
    const lambda = await lambdaBuildOptions();
    await build({
      ...lambda,
      entryPoints: [__filename],
      outfile: bundle,
      // Only the parent process bundles: the measured child never loads these.
      external: [...(lambda.external ?? []), 'esbuild', 'yaml'],
      logLevel: 'error',
    });
    const child = spawnSync(process.execPath, [bundle, String(rows)], {
      env: { ...process.env, [CHILD_FLAG]: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`the measurement process failed (exit ${child.status})`);
    return JSON.parse(child.stdout) as ParseMeasurement;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 100_000);
  const run = process.env[CHILD_FLAG] === '1' ? measureGenericCsvParse(rows) : runParseMeasurement(rows);
  run.then(
    (result) =>
      console.log(
        process.env[CHILD_FLAG] === '1'
          ? JSON.stringify(result)
          : JSON.stringify({
              measurement: 'generic-csv parse + validate',
              cpu: os.cpus()[0]?.model,
              ...result,
            }),
      ),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
