import { invoke } from '@kupala/trade-model/testing';
import type { AnalysisJob, AnalysisWorker } from '../adapters/analysis-worker';
import { buildHandler as buildCreateAnalysis } from '../functions/createAnalysis/handler';
import { buildHandler as buildRunAnalysis } from '../functions/runAnalysis/handler';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../sideEffects';

/**
 * The production side effects (real tables and bucket) with one change: the asynchronous Lambda invocation of the
 * worker becomes a queue that the test runs itself, batch by batch.
 */
export const queuedWorkerEffects = () => {
  const queued: AnalysisJob[] = [];
  const worker: AnalysisWorker = {
    async dispatch(job) {
      queued.push(job);
    },
  };
  const base = mlAnalysisSideEffects();
  const effects = (): MlAnalysisSideEffects => ({
    get datasets() {
      return base.datasets;
    },
    get files() {
      return base.files;
    },
    get analyses() {
      return base.analyses;
    },
    get outputs() {
      return base.outputs;
    },
    get idempotency() {
      return base.idempotency;
    },
    get marketData() {
      return base.marketData;
    },
    worker,
    newId: base.newId,
    now: base.now,
  });
  const runAnalysis = buildRunAnalysis(effects);
  /** Runs the jobs queued so far (not those they queue in turn). */
  const runQueued = async (concurrently: boolean) => {
    const jobs = queued.splice(0, queued.length);
    if (concurrently) await Promise.all(jobs.map((job) => runAnalysis(job)));
    else for (const job of jobs) await runAnalysis(job);
  };
  /** Creates an analysis through the real handler and runs it to its end; answers its id. */
  const completeAnalysis = async (token: string, body: unknown): Promise<string> => {
    const created = await invoke(buildCreateAnalysis(effects), {
      method: 'POST',
      path: '/analyses',
      token,
      body,
    });
    if (created.statusCode !== 202)
      throw new Error(`creating the analysis failed with ${created.statusCode}`);
    while (queued.length > 0) await runQueued(false);
    return (created.body as { analysisId: string }).analysisId;
  };
  return { queued, effects, runAnalysis, runQueued, completeAnalysis };
};
