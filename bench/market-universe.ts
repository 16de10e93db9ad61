import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import { describeMachine } from './machine';
import type { measureMarketUniverse } from './market-universe-probe';
import { median, percentile } from './stats';
import { againstTarget, firstLine, markdownTable, type ResultRow } from './table';

const RUNS = 20;
const TARGET_MS = 500;
const measurement = 'market-universe build p50 (features + CSV, 100 symbols)';

/**
 * Issue 10: the built-in market-universe dataset at its cap (100 symbols, five years of closes each), built from
 * memory so the figure is the CPU the createDataset Lambda spends on features and CSV (the DynamoDB reads come on
 * top). Bundled the way Lambda code is (trade-model pulls in ESM-only middy), then a warm-up and 20 timed builds.
 */
export const marketUniverseRows = async (): Promise<ResultRow[]> => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-universe-'));
  try {
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: { probe: path.join(__dirname, 'market-universe-probe.ts') },
      outdir,
      external: [],
      logLevel: 'error',
    });
    const probe = require(path.join(outdir, 'probe.js')) as {
      measureMarketUniverse: typeof measureMarketUniverse;
    };
    const { samples, rows, closes } = await probe.measureMarketUniverse(RUNS);
    const p50 = median(samples);
    const subject = `${closes.toLocaleString('en')} closes → ${rows.toLocaleString('en')} rows, ${RUNS} runs`;
    return [
      {
        measurement,
        subject,
        value: `${p50.toFixed(1)} ms`,
        target: `<= ${TARGET_MS} ms`,
        result: againstTarget(p50, TARGET_MS),
      },
      {
        measurement: 'market-universe build p99',
        subject,
        value: `${percentile(samples, 99).toFixed(1)} ms`,
        target: '-',
        result: 'info',
      },
    ];
  } catch (error: unknown) {
    return [
      {
        measurement,
        subject: '100 symbols',
        value: firstLine(error),
        target: `<= ${TARGET_MS} ms`,
        result: 'FAILED',
      },
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  void marketUniverseRows().then((rows) => {
    process.stdout.write(
      `## Kupala market-universe bench — ${describeMachine()}\n\n${markdownTable(rows)}\n`,
    );
  });
}
