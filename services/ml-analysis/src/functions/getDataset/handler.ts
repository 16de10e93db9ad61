import { getDatasetRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { previewCsvStream } from '../../domain/csv-dataset';
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
      // only the first rows are read, however large the file
      const preview =
        dataset.status === 'READY'
          ? await previewCsvStream((await files.openSource(user.sub, dataset.datasetId)).body)
          : [];
      return { statusCode: 200, body: { ...dataset, preview } };
    },
    options,
  );

export const main = buildHandler();
