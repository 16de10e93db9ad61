import {
  type Analysis,
  createAnalysisRoute,
  DEFAULT_ANALYSIS_BUDGET_SECONDS,
  DEFAULT_ANALYSIS_FOLDS,
  type HttpRouteOptions,
  httpRoute,
  logger,
  ValidationError,
} from '@kupala/trade-model';
import { readyDataset } from '../../domain/dataset-storage';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

const DEFAULT_SEED = 42;

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createAnalysisRoute,
    async ({ user, body }) => {
      const { datasets, analyses, worker, newId, now } = effects();
      const dataset = await readyDataset(datasets, user.sub, body.datasetId);
      const target = dataset.columns.find((column) => column.name === body.target.trim());
      if (target === undefined)
        throw new ValidationError('target is not a column of the dataset', [
          { path: 'target', message: `the dataset has no column "${body.target.slice(0, 60)}"` },
        ]);
      if (body.task === 'regression' && target.type !== 'number')
        throw new ValidationError('regression needs a numeric target', [
          { path: 'target', message: `column "${target.name}" is ${target.type}, not number` },
        ]);
      const createdAt = now();
      const analysis: Analysis = {
        analysisId: newId(),
        datasetId: dataset.datasetId,
        target: target.name,
        task: body.task,
        folds: body.folds ?? DEFAULT_ANALYSIS_FOLDS,
        budgetSeconds: body.budgetSeconds ?? DEFAULT_ANALYSIS_BUDGET_SECONDS,
        seed: body.seed ?? DEFAULT_SEED,
        ...(body.include === undefined ? {} : { include: [...new Set(body.include)] }),
        status: 'PENDING',
        progress: { completed: 0, total: 0 },
        leaderboard: [],
        bestModel: null,
        skipped: [],
        createdAt,
        updatedAt: createdAt,
      };
      await analyses.putAnalysis(user.sub, analysis);
      try {
        await worker.dispatch({ kind: 'start', sub: user.sub, analysisId: analysis.analysisId });
      } catch (error: unknown) {
        // A run nobody will execute must not stay visible as PENDING.
        await analyses.deleteAnalysis(user.sub, analysis.analysisId).catch((cleanupError: unknown) => {
          logger.error('analysis left without a run', {
            analysisId: analysis.analysisId,
            error: cleanupError,
          });
        });
        throw error;
      }
      return {
        statusCode: 202,
        body: { analysisId: analysis.analysisId },
        headers: { location: `/analyses/${analysis.analysisId}` },
      };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
