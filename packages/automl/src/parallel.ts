import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  assembleFamily,
  crossValidateFold,
  type FamilyResult,
  type FoldOutcome,
  type Problem,
} from './automl';
import type { ModelId } from './families';
import type { FoldAssignment } from './folds';

/**
 * Cross-validation on every core: (family, fold) tasks run on a small pool of worker threads (node:worker_threads,
 * no pool library: a library's own worker file would not be in a Lambda's single-file esbuild bundle). A worker
 * loads the very module this code is in — this file under tsx, the handler's bundle in a Lambda — and serves tasks
 * when its workerData carries the marker below. Every task is seeded by (seed, family, fold) alone and results are
 * put together in fold order, so the answer does not depend on which thread ran what or when. Where a worker cannot
 * start (Jest runs TypeScript sources no plain worker can load) the remaining tasks run in this thread instead.
 */
const MARKER = 'kupala-automl-fold-worker';

interface WorkerSetup {
  readonly marker: typeof MARKER;
  readonly problem: Problem;
  readonly assignment: FoldAssignment;
  readonly seed: number;
}
interface Task {
  readonly id: number;
  readonly model: ModelId;
  readonly fold: number;
}
type Reply =
  | { readonly id: number; readonly outcome: FoldOutcome; readonly seconds: number }
  | { readonly id: number; readonly error: string };

const runTask = (
  setup: Omit<WorkerSetup, 'marker'>,
  task: Task,
): { outcome: FoldOutcome; seconds: number } => {
  const started = performance.now();
  const outcome = crossValidateFold(setup.problem, task.model, setup.assignment, task.fold, setup.seed);
  return { outcome, seconds: (performance.now() - started) / 1000 };
};

const isSetup = (data: unknown): data is WorkerSetup =>
  typeof data === 'object' && data !== null && (data as { marker?: unknown }).marker === MARKER;

if (!isMainThread && parentPort && isSetup(workerData)) {
  const setup = workerData;
  const port = parentPort;
  port.on('message', (task: Task) => {
    try {
      port.postMessage({ id: task.id, ...runTask(setup, task) } satisfies Reply);
    } catch (error: unknown) {
      port.postMessage({
        id: task.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies Reply);
    }
  });
}

export interface ParallelOptions {
  /** Worker threads; default every core (`os.availableParallelism()`); 1 runs in this thread. */
  readonly threads?: number;
  /** The module a worker loads; default this module's own file (the bundle, once bundled). */
  readonly entry?: string;
  /** Node options of the workers (default: this process's, e.g. a TypeScript loader such as `--import tsx`). */
  readonly execArgv?: readonly string[];
  /** Called as each family completes (in completion order). */
  readonly onFamily?: (result: FamilyResult) => void;
}

export interface ParallelRun {
  /** One result per model, in the order asked; `fitSeconds` sums the family's fold times in their threads. */
  readonly results: FamilyResult[];
  /** Threads that ran tasks: 1 when the pool ran in this thread. */
  readonly threads: number;
  readonly wallSeconds: number;
}

/** Cross-validates `models` over the folds of `assignment` on a pool of worker threads (or in this thread). */
export const crossValidateFamilies = async (
  problem: Problem,
  models: readonly ModelId[],
  assignment: FoldAssignment,
  seed: number,
  options: ParallelOptions = {},
): Promise<ParallelRun> => {
  const started = performance.now();
  const folds = Math.max(...assignment) + 1;
  const tasks: Task[] = models
    .flatMap((model) => Array.from({ length: folds }, (_, fold) => ({ model, fold })))
    .map((task, id) => ({ id, ...task }));
  const outcomes = new Map<ModelId, FoldOutcome[]>(models.map((model) => [model, []]));
  const seconds = new Map<ModelId, number>(models.map((model) => [model, 0]));
  const finished = new Set<number>();
  const results = new Map<ModelId, FamilyResult>();
  const record = (task: Task, outcome: FoldOutcome, taskSeconds: number) => {
    if (finished.has(task.id)) return;
    finished.add(task.id);
    const list = outcomes.get(task.model) as FoldOutcome[];
    list.push(outcome);
    seconds.set(task.model, (seconds.get(task.model) ?? 0) + taskSeconds);
    if (list.length === folds) {
      const result = assembleFamily(problem, task.model, list, seconds.get(task.model) ?? 0);
      results.set(task.model, result);
      options.onFamily?.(result);
    }
  };
  const setup = { problem, assignment, seed };
  const wanted = Math.min(options.threads ?? availableParallelism(), tasks.length);
  const pooled =
    wanted > 1
      ? await runPool(
          setup,
          tasks,
          wanted,
          { entry: options.entry ?? __filename, execArgv: options.execArgv },
          record,
        )
      : false;
  for (const task of tasks)
    if (!finished.has(task.id)) {
      const { outcome, seconds: taskSeconds } = runTask(setup, task);
      record(task, outcome, taskSeconds);
    }
  return {
    results: models.map((model) => results.get(model) as FamilyResult),
    threads: pooled ? wanted : 1,
    wallSeconds: (performance.now() - started) / 1000,
  };
};

/**
 * Hands tasks to `threads` workers, the next one to whichever is free. Resolves true when all are done, false when
 * a worker could not start or died (the tasks it left are then run by the caller); rejects on a task's own error.
 */
const runPool = (
  setup: Omit<WorkerSetup, 'marker'>,
  tasks: readonly Task[],
  threads: number,
  where: { entry: string; execArgv: readonly string[] | undefined },
  record: (task: Task, outcome: FoldOutcome, seconds: number) => void,
): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const settle = (outcome: boolean | Error) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const feed = (worker: Worker) => {
      const task = tasks[next++];
      if (task) worker.postMessage(task);
    };
    for (let i = 0; i < threads; i++) {
      let worker: Worker;
      try {
        worker = new Worker(where.entry, {
          workerData: { marker: MARKER, ...setup } satisfies WorkerSetup,
          ...(where.execArgv ? { execArgv: [...where.execArgv] } : {}),
        });
      } catch {
        settle(false);
        return;
      }
      workers.push(worker);
      worker.on('message', (reply: Reply) => {
        const task = tasks[reply.id] as Task;
        if ('error' in reply) {
          settle(new Error(`${task.model} fold ${task.fold}: ${reply.error}`));
          return;
        }
        record(task, reply.outcome, reply.seconds);
        done++;
        if (done === tasks.length) settle(true);
        else feed(worker);
      });
      worker.on('error', () => settle(false));
      worker.on('exit', () => settle(false));
      feed(worker);
    }
  });
