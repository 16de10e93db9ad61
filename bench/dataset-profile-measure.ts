import { createReadStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describeCsv, describeCsvStream } from '../services/ml-analysis/src/domain/csv-dataset';

/**
 * One profiling of a CSV file in this fresh process, printed as JSON: `stream` reads it as the upload profiler
 * does (describeCsvStream over a file stream, 64 KiB chunks like an S3 body), `whole` as the inline path does
 * (the text in memory, parsed at once). Peak RSS is sampled every 20 ms.
 */
const [file, mode] = process.argv.slice(2);
if (file === undefined || (mode !== 'stream' && mode !== 'whole'))
  throw new Error('usage: <csv file> stream|whole');
const main = async () => {
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const shape =
    mode === 'stream'
      ? await describeCsvStream(createReadStream(file, { highWaterMark: 64 * 1024 }))
      : describeCsv(readFileSync(file, 'utf8'));
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
