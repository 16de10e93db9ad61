import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import type { measurePerformanceFigures } from './performance-probe';
import { median, percentile } from './stats';
import { againstTarget, firstLine, type ResultRow } from './table';

const RUNS = 30;
const TARGET_MS = 50;
const measurement = 'performance figures p50 (TWR, MWR, volatility, drawdown)';

/**
 * Issue 9: TWR, MWR, volatility and drawdown over 10 years of daily history for one portfolio. The probe is
 * bundled the way Lambda code is (trade-model pulls in ESM-only middy, which tsx cannot load) and timed
 * in this process: a warm-up call, then 30 timed calls.
 */
export const performanceFigureRows = async (): Promise<ResultRow[]> => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-performance-'));
  try {
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: { probe: path.join(__dirname, 'performance-probe.ts') },
      outdir,
      external: [],
      logLevel: 'error',
    });
    const probe = require(path.join(outdir, 'probe.js')) as {
      measurePerformanceFigures: typeof measurePerformanceFigures;
      TRADING_DAYS: number;
    };
    const samples = probe.measurePerformanceFigures(RUNS);
    const p50 = median(samples);
    const subject = `${probe.TRADING_DAYS.toLocaleString('en')} daily values (10 years), ${RUNS} runs`;
    return [
      {
        measurement,
        subject,
        value: `${p50.toFixed(2)} ms`,
        target: `<= ${TARGET_MS} ms`,
        result: againstTarget(p50, TARGET_MS),
      },
      {
        measurement: 'performance figures p99',
        subject,
        value: `${percentile(samples, 99).toFixed(2)} ms`,
        target: '-',
        result: 'info',
      },
    ];
  } catch (error: unknown) {
    return [
      {
        measurement,
        subject: '10 years of daily values',
        value: firstLine(error),
        target: `<= ${TARGET_MS} ms`,
        result: 'FAILED',
      },
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
