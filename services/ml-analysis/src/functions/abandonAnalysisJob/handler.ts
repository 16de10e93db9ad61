import { type FailedInvocation, logger } from '@kupala/trade-model';
import type { AnalysisJob } from '../../adapters/analysis-worker';
import { abandonJob } from '../../domain/analysis-run';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

const text = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;

/** The job Lambda gave up on, as runAnalysis received it (an invocation is not an API: checked all the same). */
const jobOf = (payload: Partial<AnalysisJob> | undefined): AnalysisJob | undefined => {
  const { kind, sub, analysisId } = payload ?? {};
  if (!text(sub) || !text(analysisId)) return undefined;
  if (kind === 'start') return { kind, sub, analysisId };
  const model = (payload as { model?: unknown }).model;
  return kind === 'family' && text(model) ? { kind, sub, analysisId, model } : undefined;
};

/**
 * runAnalysis's on-failure destination (Lambda invokes it with the job and the last error once it has given up):
 * the run is never left RUNNING (see `abandonJob`). Not an HTTP route.
 */
export const buildHandler =
  (effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects) =>
  async (event: FailedInvocation<AnalysisJob>): Promise<void> => {
    const job = jobOf(event.requestPayload);
    if (job === undefined) {
      logger.error('not an analysis job: nothing to abandon', { payload: event.requestPayload });
      return;
    }
    logger.error('analysis job abandoned after failed retries', {
      ...job,
      lastError: event.responsePayload?.errorType,
      lastMessage: event.responsePayload?.errorMessage,
    });
    await abandonJob(effects(), job);
  };

export const main = buildHandler();
