import { type AnalysisProgressMessage, AnalysisProgressMessageSchema } from '@kupala/trade-model';
import type { JobProgress } from './progress-push';

export class MalformedAnalysisRecordError extends Error {
  override readonly name = 'MalformedAnalysisRecordError';
}

// The Analyses table (ml-analysis): pk USER#<sub>, sk ANALYSIS#<analysisId>, entity ANALYSIS.
const OWNER_PARTITION = /^USER#([A-Za-z0-9-]{1,128})$/;
const ANALYSIS_SORT_KEY = /^ANALYSIS#([0-9A-HJKMNP-TV-Z]{26})$/;

const countOf = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : -1;

/**
 * What an Analyses-table change means for the run's owner: an `analysis.progress` message (model family
 * `completed` of `total`, and the status) for an ANALYSIS item; nothing for other items (families, datasets,
 * idempotency records) or removals. The owner comes from the key, never from the item's body.
 */
export const analysisProgressOf = (
  newImage: Record<string, unknown> | undefined,
): JobProgress<AnalysisProgressMessage> | undefined => {
  if (newImage === undefined || newImage.entity !== 'ANALYSIS') return undefined;
  const owner = OWNER_PARTITION.exec(String(newImage.pk));
  const id = ANALYSIS_SORT_KEY.exec(String(newImage.sk));
  if (owner === null || id === null || newImage.analysisId !== id[1])
    throw new MalformedAnalysisRecordError('not an ANALYSIS item of its owner');
  const progress = newImage.progress as { completed?: unknown; total?: unknown } | undefined;
  const completed = countOf(progress?.completed);
  const total = countOf(progress?.total);
  const parsed = AnalysisProgressMessageSchema.safeParse({
    type: 'analysis.progress',
    analysisId: newImage.analysisId,
    status: newImage.status,
    // 4 of 10 families is 0.4; a run not yet planned (total 0) has made no progress
    progress: total > 0 ? Math.min(1, completed / total) : 0,
    completed,
    total,
    updatedAt: newImage.updatedAt,
  });
  if (!parsed.success) throw new MalformedAnalysisRecordError('ANALYSIS item does not fit analysis.progress');
  return { sub: owner[1] ?? '', message: parsed.data };
};
