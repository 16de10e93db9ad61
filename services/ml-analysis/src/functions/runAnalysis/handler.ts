import type { AnalysisJob } from '../../adapters/analysis-worker';
import { runFamily, startAnalysis } from '../../domain/analysis-run';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

/**
 * The AutoML worker, invoked asynchronously by createAnalysis ("start": fan out one job per family) and by itself
 * ("family": cross-validate one family; the last one in completes the run). Not an HTTP route.
 */
export const buildHandler =
  (effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects) =>
  async (job: AnalysisJob): Promise<void> => {
    if (job.kind === 'start') await startAnalysis(effects(), job);
    else if (job.kind === 'family') await runFamily(effects(), job);
    else throw new Error('unknown analysis job');
  };

export const main = buildHandler();
