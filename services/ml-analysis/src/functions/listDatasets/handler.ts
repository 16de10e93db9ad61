import { type HttpRouteOptions, httpRoute, listDatasetsRoute, pageLimit } from '@kupala/trade-model';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listDatasetsRoute,
    async ({ user, query }) => {
      const page = await effects().datasets.listDatasets(user.sub, {
        limit: pageLimit(query.limit),
        cursor: query.cursor,
      });
      return { statusCode: 200, body: page };
    },
    options,
  );

export const main = buildHandler();
