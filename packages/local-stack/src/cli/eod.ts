import { invokeLocalFunction } from './invoke-local';

/**
 * `pnpm run eod [YYYY-MM-DD]`: runs the nightly EOD run once on the running local platform (`pnpm dev`): one
 * asynchronous snapshot build per portfolio for the day (default: the last business day), through the positions
 * service's scheduleEod function.
 */
const date = process.argv[2];
if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
  process.stderr.write('usage: pnpm run eod [YYYY-MM-DD]\n');
  process.exitCode = 2;
} else {
  invokeLocalFunction('eod', 'positions', 'scheduleEod', date === undefined ? {} : { date });
}
