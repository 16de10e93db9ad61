import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  assignFolds,
  type CellType,
  crossValidateFamilies,
  familiesFor,
  frameFromCells,
  type ModelId,
  prepareProblem,
  seededRandom,
  type Task,
} from '@kupala/automl';
import { describeMachine } from './machine';
import { firstLine, markdownTable, type ResultRow } from './table';

const run = promisify(execFile);
const ROWS = 5_000;
const NUMERIC = 27;
const CATEGORICAL = 3;
const FOLDS = 10;
const SEED = 42;
const TOLERANCE = 0.01;
const RSS_TARGET_MB = 300;
const PYTHON = '/usr/bin/python3';
const REFERENCE = path.join(__dirname, 'reference', 'sklearn_automl.py');
// Optional narrowing for a quick run: KUPALA_AUTOML_BENCH_TASKS=regression KUPALA_AUTOML_BENCH_MODELS=lr,hgb
const listFromEnv = (name: string) => process.env[name]?.split(',').filter((value) => value !== '');
const PYCARET_ANCHOR =
  'PyCaret in a container Lambda: 3–5 minutes and ~500 MB per analysis (the original platform)';

interface FamilyFigures {
  seconds: number;
  score: number;
}
interface ChildResult {
  /** Per family: seconds summed over its folds in the threads that ran them, and the mean score. */
  families: Record<string, FamilyFigures>;
  maxRssMb: number;
  /** The whole task, every family, on `threads` worker threads. */
  wallSeconds: number;
  threads: number;
}

/**
 * 5,000 rows × 30 features (27 numeric with 2 % missing cells, 3 categoricals of 4 levels with 1 % missing), a
 * regression target (linear + sine + interaction + level effects + noise) and a binary one derived from it.
 */
const writeDataset = (file: string) => {
  const random = seededRandom(SEED);
  const normal = () => {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += random.next();
    return sum - 6;
  };
  const header = [
    ...Array.from({ length: NUMERIC }, (_, j) => `x${j}`),
    ...Array.from({ length: CATEGORICAL }, (_, j) => `c${j}`),
    'y',
    'label',
  ];
  const lines = [header.join(',')];
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: NUMERIC }, () => normal());
    const c = Array.from({ length: CATEGORICAL }, () => random.int(4));
    const signal =
      x.slice(0, 10).reduce((sum, value, j) => sum + (j + 1) * 0.3 * value, 0) +
      2 * Math.sin(2 * (x[10] as number)) +
      (x[11] as number) * (x[12] as number) +
      ([0, 1.5, -1, 0.5][c[0] as number] ?? 0);
    const y = signal + normal();
    const label = signal + 2 * normal() > 0.5 ? 'yes' : 'no';
    const cells = [
      ...x.map((value) => (random.next() < 0.02 ? '' : value.toFixed(6))),
      ...c.map((level) => (random.next() < 0.01 ? '' : `L${level}`)),
      y.toFixed(6),
      label,
    ];
    lines.push(cells.join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
};

const columnsOf = (header: readonly string[]) =>
  header.map((name): { name: string; type: CellType } => ({
    name,
    type: /^(c\d+|label)$/.test(name) ? 'string' : 'number',
  }));

const readDataset = (file: string) => {
  const [header = [], ...rows] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  return { header, rows };
};

const problemOf = (file: string, task: Task) => {
  const { header, rows } = readDataset(file);
  const target = task === 'regression' ? 'y' : 'label';
  // the other target is not a feature
  const keep = header
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => name !== (task === 'regression' ? 'label' : 'y'));
  const frame = frameFromCells(
    columnsOf(keep.map(({ name }) => name)),
    rows.map((row) => keep.map(({ index }) => row[index] ?? '')),
  );
  return {
    problem: prepareProblem(frame, target, task),
    features: keep.map(({ name }) => name).filter((name) => name !== target),
  };
};

/**
 * Child process: cross-validates every family of one task on every core (the engine's worker-thread pool, as a
 * runAnalysis Lambda does); prints its figures as JSON. Workers load TypeScript through tsx's require hook.
 */
const childMain = async (dir: string, task: Task) => {
  const { problem } = problemOf(path.join(dir, 'data.csv'), task);
  const spec = JSON.parse(readFileSync(path.join(dir, `folds-${task}.json`), 'utf8')) as { folds: number[] };
  const assignment = Int32Array.from(spec.folds);
  const models = familiesFor(task, listFromEnv('KUPALA_AUTOML_BENCH_MODELS') as ModelId[] | undefined).map(
    (family) => family.id,
  );
  const threads = Number(process.env.KUPALA_AUTOML_BENCH_CHILD_THREADS) || undefined;
  const run = await crossValidateFamilies(problem, models, assignment, SEED, {
    ...(threads ? { threads } : {}),
    execArgv: ['--require', 'tsx/cjs'],
    onFamily: (result) =>
      process.stderr.write(
        `bench: kupala ${task} ${result.model} ${result.fitSeconds.toFixed(2)} thread-s\n`,
      ),
  });
  const families: Record<string, FamilyFigures> = {};
  for (const result of run.results) {
    const metrics = result.metrics as unknown as Record<string, number>;
    families[result.model] = {
      seconds: result.fitSeconds,
      score: (task === 'regression' ? metrics.R2 : metrics.AUC) as number,
    };
  }
  const result: ChildResult = {
    families,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    wallSeconds: run.wallSeconds,
    threads: run.threads,
  };
  process.stdout.write(JSON.stringify(result));
};

const sklearnAvailable = async () => {
  if (!existsSync(PYTHON)) return false;
  try {
    await run(PYTHON, ['-c', 'import sklearn']);
    return true;
  } catch {
    return false;
  }
};

/** scikit-learn on the same CSV (without the other task's target) and the same folds, one thread. */
const runReference = async (dir: string, task: Task) => {
  process.stderr.write(`bench: scikit-learn ${task} (single thread)\n`);
  const target = task === 'regression' ? 'y' : 'label';
  // the other target column is dropped from the reference's features too
  const { header, rows: dataRows } = readDataset(path.join(dir, 'data.csv'));
  const drop = header.indexOf(task === 'regression' ? 'label' : 'y');
  const reduced = path.join(dir, `data-${task}.csv`);
  writeFileSync(
    reduced,
    `${[header, ...dataRows].map((row) => row.filter((_, i) => i !== drop).join(',')).join('\n')}\n`,
  );
  const python = await run(PYTHON, [REFERENCE, reduced, path.join(dir, `folds-${task}.json`), task, target], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(python.stdout) as { sklearn: string; families: Record<string, FamilyFigures> };
};

export interface AutoMlSection {
  rows: ResultRow[];
  /** The per-family side-by-side tables and notes, in markdown. */
  details: string;
}

/** Runs both tasks here (in a child process each, for a clean peak RSS) and with scikit-learn when it is installed. */
export const measureAutoMl = async (): Promise<AutoMlSection> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kupala-automl-bench-'));
  const rows: ResultRow[] = [];
  const details: string[] = [];
  try {
    writeDataset(path.join(dir, 'data.csv'));
    const withReference = await sklearnAvailable();
    const tasks = (listFromEnv('KUPALA_AUTOML_BENCH_TASKS') ?? ['regression', 'classification']) as Task[];
    for (const task of tasks) {
      const { problem, features } = problemOf(path.join(dir, 'data.csv'), task);
      const folds = Array.from(assignFolds(problem, FOLDS, SEED));
      writeFileSync(
        path.join(dir, `folds-${task}.json`),
        JSON.stringify({
          folds,
          categorical: features.filter((name) => name.startsWith('c')),
          models: listFromEnv('KUPALA_AUTOML_BENCH_MODELS'),
        }),
      );
      // KUPALA_AUTOML_BENCH_THREADS=1,2 runs kupala once per thread count (default: every core), scikit-learn right
      // after the first run, so that a 1-thread kupala run and scikit-learn's are back to back on a shared machine.
      const threadCounts = listFromEnv('KUPALA_AUTOML_BENCH_THREADS')?.map(Number) ?? [0];
      const childRun = (threads: number) =>
        run(process.execPath, ['--import', 'tsx', __filename, '--child', dir, task], {
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, KUPALA_AUTOML_BENCH_CHILD_THREADS: String(threads) },
        });
      // On a machine shared with other work, KUPALA_AUTOML_BENCH_REFERENCE_ALONGSIDE=1 starts scikit-learn while
      // kupala runs (both then compete for the cores; say so with the figures). Default: one after the other.
      const alongside = process.env.KUPALA_AUTOML_BENCH_REFERENCE_ALONGSIDE === '1';
      const referenceRun = withReference && alongside ? runReference(dir, task) : undefined;
      referenceRun?.catch(() => undefined);
      const runs: ChildResult[] = [];
      const loads: string[] = [];
      const loadNow = () =>
        os
          .loadavg()
          .map((load) => load.toFixed(1))
          .join(' / ');
      runs.push(JSON.parse((await childRun(threadCounts[0] ?? 0)).stdout) as ChildResult);
      loads.push(loadNow());
      let reference: Record<string, FamilyFigures> | undefined;
      let referenceNote = 'reference unavailable (install python3-sklearn for /usr/bin/python3)';
      if (withReference) {
        const parsed = await (referenceRun ?? runReference(dir, task));
        reference = parsed.families;
        referenceNote = `scikit-learn ${parsed.sklearn}, one thread (OMP/BLAS threads = 1), same CSV and folds${alongside ? ', run alongside kupala' : ''}; load average after it ${loadNow()}`;
      }
      for (const threads of threadCounts.slice(1)) {
        runs.push(JSON.parse((await childRun(threads)).stdout) as ChildResult);
        loads.push(loadNow());
      }
      const ours = runs[0] as ChildResult;
      const scoreName = task === 'regression' ? 'R2' : 'AUC';
      const table = [
        `| family | kupala thread-s | sklearn s | kupala ${scoreName} | sklearn ${scoreName} | abs diff | within ${TOLERANCE} |`,
        '|---|---|---|---|---|---|---|',
      ];
      let ourTotal = 0;
      let theirTotal = 0;
      let within = 0;
      const models = Object.keys(ours.families) as ModelId[];
      for (const model of models) {
        const mine = ours.families[model] as FamilyFigures;
        const theirs = reference?.[model];
        ourTotal += mine.seconds;
        theirTotal += theirs?.seconds ?? 0;
        const difference = theirs === undefined ? undefined : Math.abs(mine.score - theirs.score);
        if (difference !== undefined && difference <= TOLERANCE) within++;
        table.push(
          `| ${model} | ${mine.seconds.toFixed(2)} | ${theirs?.seconds.toFixed(2) ?? '-'} | ${mine.score.toFixed(4)} | ${theirs?.score.toFixed(4) ?? '-'} | ${difference?.toFixed(4) ?? '-'} | ${difference === undefined ? '-' : difference <= TOLERANCE ? 'yes' : 'NO'} |`,
        );
      }
      table.push(
        `| **total** | **${ourTotal.toFixed(1)}** | **${reference ? theirTotal.toFixed(1) : '-'}** | | | | ${reference ? `${within}/${models.length}` : '-'} |`,
        ...runs.map(
          (child) =>
            `| **wall, ${child.threads} thread${child.threads === 1 ? '' : 's'}** | **${child.wallSeconds.toFixed(1)}** | | | | | |`,
        ),
      );
      details.push(
        `### AutoML ${task}: ${ROWS} rows × ${NUMERIC + CATEGORICAL} features, ${FOLDS} folds`,
        '',
        ...table,
        '',
        `- ${referenceNote}`,
        `- kupala: (family, fold) tasks on ${runs.map((child) => child.threads).join(', then ')} thread(s) (os.availableParallelism() = ${os.availableParallelism()}); the per-family figures are the first run's; "thread-s" sums a family's fold times in the threads that ran them; load average after each run ${loads.join('; ')}`,
        '',
      );
      const subject = `${task}, ${models.length} families × ${FOLDS} folds`;
      for (const child of runs)
        rows.push({
          measurement: `AutoML wall time, kupala on ${child.threads} thread${child.threads === 1 ? '' : 's'} / scikit-learn one thread`,
          subject,
          value: reference
            ? `${child.wallSeconds.toFixed(1)} s / ${theirTotal.toFixed(1)} s = ${(child.wallSeconds / theirTotal).toFixed(2)}`
            : `${child.wallSeconds.toFixed(1)} s / reference unavailable`,
          target: '<= 1.00',
          result: reference ? (child.wallSeconds <= theirTotal ? 'pass' : 'OVER') : 'info',
        });
      const peakRss = Math.max(...runs.map((child) => child.maxRssMb));
      rows.push({
        measurement: 'AutoML time, kupala thread-seconds / scikit-learn one thread (info)',
        subject,
        value: reference
          ? `${ourTotal.toFixed(1)} s / ${theirTotal.toFixed(1)} s = ${(ourTotal / theirTotal).toFixed(2)}`
          : `${ourTotal.toFixed(1)} s / reference unavailable`,
        target: '-',
        result: 'info',
      });
      rows.push({
        measurement: 'AutoML peak RSS (child process, its worker threads included)',
        subject,
        value: `${peakRss.toFixed(0)} MB`,
        target: `<= ${RSS_TARGET_MB} MB`,
        result: peakRss <= RSS_TARGET_MB ? 'pass' : 'OVER',
      });
      rows.push({
        measurement: `AutoML families within ${TOLERANCE} of scikit-learn (${scoreName})`,
        subject,
        value: reference ? `${within}/${models.length}` : 'reference unavailable',
        target: `${models.length}/${models.length}`,
        result: reference ? (within === models.length ? 'pass' : 'UNDER') : 'info',
      });
    }
    details.push(`- anchor: ${PYCARET_ANCHOR}`);
  } catch (error: unknown) {
    rows.push({
      measurement: 'AutoML',
      subject: 'bench',
      value: `crashed: ${firstLine(error)}`,
      target: '-',
      result: 'FAILED',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, details: details.join('\n') };
};

if (require.main === module) {
  const [flag, dir, task] = process.argv.slice(2);
  if (flag === '--child' && dir !== undefined && (task === 'regression' || task === 'classification'))
    void childMain(dir, task);
  else
    measureAutoMl().then(({ rows, details }) => {
      process.stdout.write(
        `## Kupala AutoML bench — ${describeMachine()}\n\n${markdownTable(rows)}\n\n${details}\n`,
      );
    });
}
