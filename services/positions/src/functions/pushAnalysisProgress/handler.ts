import { analysisProgressOf, MalformedAnalysisRecordError } from '../../domain/analysis-progress';
import { progressPusher } from '../../domain/progress-push';
import { type ImportProgressSideEffects, importProgressSideEffects } from '../../sideEffects';

/**
 * Analyses stream consumer (ml-analysis's table, filtered to ANALYSIS items at the event source): pushes
 * `analysis.progress` to every open connection of the run's owner, in stream order.
 */
export const buildHandler = (effects: () => ImportProgressSideEffects = importProgressSideEffects) =>
  progressPusher(
    {
      entity: 'ANALYSIS',
      progressOf: analysisProgressOf,
      isMalformed: (error) => error instanceof MalformedAnalysisRecordError,
    },
    effects,
  );

export const main = buildHandler();
