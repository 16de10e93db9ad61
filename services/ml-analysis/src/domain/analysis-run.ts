import {
  assignFolds,
  crossValidateFamilies,
  type FamilyResult,
  familiesFor,
  frameFromCells,
  type ModelId,
  type Problem,
  ProblemError,
  prepareProblem,
  refitAndPredict,
  sortLeaderboard,
} from '@kupala/automl';
import { type Analysis, type LeaderboardEntry, logger } from '@kupala/trade-model';
import type { AnalysesStore, FamilyOutcome } from '../adapters/analyses-store';
import type { AnalysisFiles } from '../adapters/analysis-files';
import type { AnalysisJob, AnalysisWorker } from '../adapters/analysis-worker';
import type { DatasetFiles } from '../adapters/dataset-files';
import type { DatasetsStore } from '../adapters/datasets-store';
import { readCsvRows } from './csv-dataset';

/** What a run touches: the analyses table, dataset metadata and files, run outputs, the worker queue, a clock. */
export interface AnalysisRunEffects {
  analyses: AnalysesStore;
  datasets: DatasetsStore;
  files: DatasetFiles;
  outputs: AnalysisFiles;
  worker: AnalysisWorker;
  now: () => string;
}

type StartJob = Extract<AnalysisJob, { kind: 'start' }>;
type FamilyJob = Extract<AnalysisJob, { kind: 'family' }>;

const loadProblem = async (
  effects: AnalysisRunEffects,
  sub: string,
  analysis: Analysis,
): Promise<Problem> => {
  const dataset = await effects.datasets.getDataset(sub, analysis.datasetId);
  if (dataset === undefined) throw new ProblemError('the dataset was deleted');
  const rows = readCsvRows(await effects.files.readSource(sub, dataset.datasetId));
  return prepareProblem(frameFromCells(dataset.columns, rows), analysis.target, analysis.task);
};

const messageOf = (error: unknown) =>
  error instanceof ProblemError ? error.message : 'the run failed unexpectedly';

/** Metrics as JSON and DynamoDB can hold them: an undefined mean (NaN) becomes null. */
const storableMetrics = (metrics: object): Record<string, number | null> =>
  Object.fromEntries(
    Object.entries(metrics).map(([name, value]) => [
      name,
      typeof value === 'number' && Number.isFinite(value) ? value : null,
    ]),
  );

/** Fans a PENDING run out: one family job per model family able to learn the task. */
export const startAnalysis = async (effects: AnalysisRunEffects, job: StartJob): Promise<void> => {
  const analysis = await effects.analyses.getAnalysis(job.sub, job.analysisId);
  if (analysis?.status !== 'PENDING') return;
  try {
    const problem = await loadProblem(effects, job.sub, analysis);
    const families = familiesFor(problem.task, analysis.include);
    if (families.length === 0) throw new ProblemError(`no family in include can learn ${problem.task}`);
    if (!(await effects.analyses.markRunning(job.sub, job.analysisId, families.length, effects.now())))
      return;
    // RUNNING from here on: a redelivered start stops above, so a family that cannot be queued (the SDK retried
    // the call) would never be counted; the run ends FAILED instead (queued families then find it so and stop)
    const queued = await Promise.allSettled(
      families.map((family) =>
        effects.worker.dispatch({
          kind: 'family',
          sub: job.sub,
          analysisId: job.analysisId,
          model: family.id,
        }),
      ),
    );
    const unqueued = queued.filter((result) => result.status === 'rejected');
    if (unqueued.length > 0) {
      logger.error('model families could not be queued', {
        analysisId: job.analysisId,
        unqueued: unqueued.length,
        error: (unqueued[0] as PromiseRejectedResult).reason,
      });
      await effects.analyses.fail(
        job.sub,
        job.analysisId,
        `${unqueued.length} of ${families.length} model families could not be started; run the analysis again`,
        effects.now(),
      );
    }
  } catch (error: unknown) {
    if (!(error instanceof ProblemError)) throw error;
    await effects.analyses.fail(job.sub, job.analysisId, messageOf(error), effects.now());
  }
};

/** Completes the run when every family is in: leaderboard sorted, best refitted, predictions stored. */
const finishWhenLast = async (
  effects: AnalysisRunEffects,
  job: FamilyJob,
  problem?: Problem,
): Promise<void> => {
  const analysis = await effects.analyses.getAnalysis(job.sub, job.analysisId);
  if (analysis?.status !== 'RUNNING' || analysis.progress.completed < analysis.progress.total) return;
  if (!(await effects.analyses.claimFinish(job.sub, job.analysisId, job.model))) return;
  const outcomes = await effects.analyses.listFamilies(job.sub, job.analysisId);
  const entries = outcomes.flatMap((outcome) => (outcome.skipped ? [] : [outcome.entry]));
  const leaderboard: LeaderboardEntry[] = sortLeaderboard(analysis.task, entries);
  const best = leaderboard[0];
  if (best !== undefined) {
    const fitted = problem ?? (await loadProblem(effects, job.sub, analysis));
    const outOfFold = (await effects.outputs.readOutOfFold(job.sub, job.analysisId, best.model)) as number[];
    const predictions = refitAndPredict(
      fitted,
      { model: best.model, outOfFold: { predicted: Float64Array.from(outOfFold) } },
      analysis.seed,
    );
    await effects.outputs.putPredictions(job.sub, job.analysisId, {
      analysisId: job.analysisId,
      model: best.model,
      predictions,
    });
  }
  await effects.analyses.complete(
    job.sub,
    job.analysisId,
    {
      leaderboard,
      bestModel: best?.model ?? null,
      skipped: outcomes.flatMap((outcome) => (outcome.skipped ? [outcome.model] : [])),
    },
    effects.now(),
  );
};

/**
 * Cross-validates one family (or skips it once the budget is spent), records it with the run's counter in one
 * transaction, and completes the run when it is the last one in. Redelivered jobs change nothing twice.
 */
export const runFamily = async (effects: AnalysisRunEffects, job: FamilyJob): Promise<void> => {
  const analysis = await effects.analyses.getAnalysis(job.sub, job.analysisId);
  if (analysis?.status !== 'RUNNING') return;
  const model = job.model as ModelId;
  const deadline = Date.parse(analysis.createdAt) + analysis.budgetSeconds * 1000;
  let outcome: FamilyOutcome = { skipped: true, model };
  let problem: Problem | undefined;
  if (Date.parse(effects.now()) < deadline) {
    try {
      problem = await loadProblem(effects, job.sub, analysis);
      // the folds run on every core of this Lambda (worker threads; in this thread where none can start)
      const [result] = (
        await crossValidateFamilies(
          problem,
          [model],
          assignFolds(problem, analysis.folds, analysis.seed),
          analysis.seed,
        )
      ).results as [FamilyResult];
      await effects.outputs.putOutOfFold(
        job.sub,
        job.analysisId,
        model,
        Array.from(result.outOfFold.predicted),
      );
      outcome = {
        skipped: false,
        entry: {
          model,
          name: result.name,
          metrics: storableMetrics(result.metrics),
          fitSeconds: result.fitSeconds,
        },
      };
    } catch (error: unknown) {
      // One family failing must not hold the whole run: it is reported among the skipped ones.
      logger.error('model family failed', { analysisId: job.analysisId, model, error });
    }
  }
  await effects.analyses.recordFamily(job.sub, job.analysisId, outcome, effects.now());
  await finishWhenLast(effects, job, problem);
};

/** What a run says when Lambda gave up on its start (it crashed or timed out on every attempt). */
export const ABANDONED_START_ERROR =
  'the run could not be started (it failed on every attempt); nothing was trained: run the analysis again';

/**
 * runAnalysis's on-failure destination: Lambda gave up on a job after its retries (a crash, an out-of-memory or a
 * timeout on every attempt: the handler never returned). A run must not stay RUNNING for ever:
 * - a family job is recorded as skipped, as a family that throws is, through the same counting transaction (a
 *   family already in counts nothing twice), and the run is completed when it was the last one in;
 * - a start job ends the run FAILED (only while PENDING or RUNNING: a finished run is left as it is; families
 *   queued before find it FAILED and stop).
 */
export const abandonJob = async (effects: AnalysisRunEffects, job: AnalysisJob): Promise<void> => {
  if (job.kind === 'start') {
    await effects.analyses.fail(job.sub, job.analysisId, ABANDONED_START_ERROR, effects.now());
    return;
  }
  const analysis = await effects.analyses.getAnalysis(job.sub, job.analysisId);
  if (analysis?.status !== 'RUNNING') return;
  await effects.analyses.recordFamily(
    job.sub,
    job.analysisId,
    { skipped: true, model: job.model as ModelId },
    effects.now(),
  );
  await finishWhenLast(effects, job);
};
