import { getAnalysisRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getAnalysisRoute,
    async ({ user, params }) => {
      const analysis = await effects().analyses.getAnalysis(user.sub, params.analysisId);
      if (analysis === undefined) throw new NotFoundError('Analysis');
      return { statusCode: 200, body: analysis };
    },
    options,
  );

export const main = buildHandler();
