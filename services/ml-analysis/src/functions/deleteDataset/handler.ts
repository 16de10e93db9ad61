import { deleteDatasetRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    deleteDatasetRoute,
    async ({ user, params }) => {
      const { datasets, files } = effects();
      // Files first: if deleting them fails, the dataset stays listed and a repeated DELETE finishes the job.
      await files.deleteAll(user.sub, params.datasetId);
      if (!(await datasets.deleteDataset(user.sub, params.datasetId))) throw new NotFoundError('Dataset');
      return { statusCode: 204 };
    },
    options,
  );

export const main = buildHandler();
