import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import { firstLine, type ResultRow } from './table';

/**
 * Issue 6, lot engine: bench/lot-engine-measure.ts bundled with the Lambda build options (as the positions
 * functions will run it) and run in a fresh node process, so neither tsx nor the other benches weigh on it.
 */
export const lotEngineRows = async (): Promise<ResultRow[]> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kupala-lot-engine-'));
  try {
    const outfile = path.join(dir, 'lot-engine-measure.js');
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: [path.join(__dirname, 'lot-engine-measure.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    const child = spawnSync(process.execPath, ['--expose-gc', outfile], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`measurement exited with ${child.status}`);
    return JSON.parse(child.stdout) as ResultRow[];
  } catch (error: unknown) {
    return [
      { measurement: 'lot engine', subject: '-', value: firstLine(error), target: '-', result: 'FAILED' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
