import { getDatasetRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { previewCsv } from '../../domain/csv-dataset';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getDatasetRoute,
    async ({ user, params }) => {
      const { datasets, files } = effects();
      const dataset = await datasets.getDataset(user.sub, params.datasetId);
      if (dataset === undefined) throw new NotFoundError('Dataset');
      const preview = previewCsv(await files.readSource(user.sub, dataset.datasetId));
      return { statusCode: 200, body: { ...dataset, preview } };
    },
    options,
  );

export const main = buildHandler();
