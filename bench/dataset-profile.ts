import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import { againstTarget, firstLine, type ResultRow } from './table';

/** Issue 10: a ~100 MB CSV (190,000 rows x 30 numeric columns), under the 200,000-row limit. */
const ROWS = 190_000;
const COLUMNS = 30;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const writeCsv = async (file: string): Promise<void> => {
  const out = createWriteStream(file);
  const write = (text: string) =>
    new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write(`${Array.from({ length: COLUMNS }, (_, c) => `f${c}`).join(',')}\n`);
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let row = 0; row < ROWS; row += 1) {
    const cells = Array.from({ length: COLUMNS }, () => (next() * 1e6).toFixed(10));
    await write(`${cells.join(',')}\n`);
  }
  await new Promise<void>((resolve) => out.end(resolve));
};

interface Measured {
  seconds: number;
  peakRss: number;
  baselineRss: number;
  rows: number;
  columns: number;
}

type Mode = 'stream' | 'whole' | 'view-stream' | 'view-whole';
const measure = (script: string, file: string, mode: Mode): Measured => {
  const child = spawnSync(process.execPath, [script, file, mode], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${mode} profiling exited with ${child.status}`);
  return JSON.parse(child.stdout) as Measured;
};

/** Profiling a 100 MB CSV as a stream (the upload path) against reading it whole, each in a fresh process. */
export const datasetProfileRows = async (): Promise<ResultRow[]> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kupala-dataset-profile-'));
  try {
    const file = path.join(dir, 'wide.csv');
    await writeCsv(file);
    // bundled with the Lambda build options, as the profiling function runs it
    const script = path.join(dir, 'dataset-profile-measure.js');
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: [path.join(__dirname, 'dataset-profile-measure.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    const size = statSync(file).size;
    const rows: ResultRow[] = [];
    for (const mode of ['stream', 'whole'] as const) {
      const result = measure(script, file, mode);
      if (result.rows !== ROWS || result.columns !== COLUMNS) throw new Error(`${mode}: wrong shape`);
      const subject = `${mib(size)} CSV, ${ROWS} x ${COLUMNS} (${mode === 'stream' ? 'upload path: stream' : 'whole text in memory'})`;
      rows.push(
        {
          measurement: 'dataset profiling wall time',
          subject,
          value: `${result.seconds.toFixed(1)} s (${(size / 1024 / 1024 / result.seconds).toFixed(1)} MiB/s)`,
          target: '-',
          result: 'info',
        },
        {
          measurement: 'dataset profiling peak RSS',
          subject,
          value: `${mib(result.peakRss)} (process at start ${mib(result.baselineRss)})`,
          target: mode === 'stream' ? '< file size (not O(file))' : '-',
          result: mode === 'stream' ? againstTarget(result.peakRss, size) : 'info',
        },
      );
    }
    // POST …/views: derive + filter (~1 % of rows pass) over the same file, streamed as now against read whole
    const views = (['view-stream', 'view-whole'] as const).map((mode) => ({
      mode,
      result: measure(script, file, mode),
    }));
    const [streamed, whole] = views;
    if (streamed?.result.rows !== whole?.result.rows || (streamed?.result.rows ?? 0) === 0)
      throw new Error('the streamed view and the whole-text view disagree');
    for (const { mode, result } of views) {
      const subject = `view (derive + filter, ${result.rows} rows kept) of the ${mib(size)} CSV (${mode === 'view-stream' ? 'POST …/views: stream' : 'before: whole text'})`;
      rows.push({
        measurement: 'dataset view wall time and peak RSS',
        subject,
        value: `${result.seconds.toFixed(1)} s, ${mib(result.peakRss)} (process at start ${mib(result.baselineRss)})`,
        target: mode === 'view-stream' ? '< file size (not O(file))' : '-',
        result: mode === 'view-stream' ? againstTarget(result.peakRss, size) : 'info',
      });
    }
    return rows;
  } catch (error: unknown) {
    return [
      {
        measurement: 'dataset profiling',
        subject: '-',
        value: firstLine(error),
        target: '-',
        result: 'FAILED',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  void datasetProfileRows().then((rows) => {
    for (const row of rows)
      process.stdout.write(
        `${row.measurement} | ${row.subject} | ${row.value} | ${row.target} | ${row.result}\n`,
      );
  });
}
