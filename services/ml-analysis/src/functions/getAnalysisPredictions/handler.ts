import {
  ConflictError,
  getAnalysisPredictionsRoute,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  type Predictions,
} from '@kupala/trade-model';
import { predictionsCsv } from '../../domain/predictions-csv';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getAnalysisPredictionsRoute,
    async ({ user, params, query }) => {
      const { analyses, outputs } = effects();
      const analysis = await analyses.getAnalysis(user.sub, params.analysisId);
      if (analysis === undefined) throw new NotFoundError('Analysis');
      if (analysis.status !== 'SUCCEEDED' || analysis.bestModel === null)
        throw new ConflictError(
          `the analysis is ${analysis.status}; predictions exist once it has SUCCEEDED`,
        );
      const predictions = (await outputs.readPredictions(user.sub, analysis.analysisId)) as Predictions;
      if (query?.format === 'csv')
        return {
          statusCode: 200,
          body: predictionsCsv(predictions.predictions),
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="predictions-${analysis.analysisId}.csv"`,
          },
        };
      return { statusCode: 200, body: predictions };
    },
    options,
  );

export const main = buildHandler();
