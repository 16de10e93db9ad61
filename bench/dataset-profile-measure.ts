import { createReadStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describeCsv, describeCsvStream, readCsvRows } from '../services/ml-analysis/src/domain/csv-dataset';
import { streamView } from '../services/ml-analysis/src/domain/view-stream';
import { applyView, toCsv } from '../services/ml-analysis/src/domain/views';

/**
 * One profiling of a CSV file in this fresh process, printed as JSON: `stream` reads it as the upload profiler
 * does (describeCsvStream over a file stream, 64 KiB chunks like an S3 body), `whole` as the inline path does
 * (the text in memory, parsed at once). `view-stream` and `view-whole` run a view (derive + filter) over it:
 * as POST …/views now does (streamView over the byte stream) and as it did before (the text read whole, its rows
 * parsed, the view applied, the result profiled again). Peak RSS is sampled every 20 ms.
 */
const MODES = ['stream', 'whole', 'view-stream', 'view-whole'] as const;
const [file, mode] = process.argv.slice(2) as [string | undefined, (typeof MODES)[number]];
if (file === undefined || !MODES.includes(mode)) throw new Error(`usage: <csv file> ${MODES.join('|')}`);
/** About 1 % of the rows pass (f0 is uniform on 0 … 1e6), with one derived column. */
const VIEW = { derive: [{ name: 'twice', formula: 'f1 * 2' }], filter: 'f0 > 990000' };
const NUMBER_COLUMNS = Array.from({ length: 30 }, (_, c) => ({ name: `f${c}`, type: 'number' as const }));
const profile = async () => {
  if (mode === 'stream') return describeCsvStream(createReadStream(file, { highWaterMark: 64 * 1024 }));
  if (mode === 'whole') return describeCsv(readFileSync(file, 'utf8'));
  if (mode === 'view-stream')
    return (await streamView(createReadStream(file, { highWaterMark: 64 * 1024 }), NUMBER_COLUMNS, VIEW))
      .shape;
  const result = applyView({ columns: NUMBER_COLUMNS, rows: readCsvRows(readFileSync(file, 'utf8')) }, VIEW);
  return describeCsv(toCsv(result.header, result.rows));
};
const main = async () => {
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const shape = await profile();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(
    JSON.stringify({
      seconds,
      peakRss: peak,
      baselineRss: baseline,
      rows: shape.rows,
      columns: shape.columns.length,
    }),
  );
};

void main();
