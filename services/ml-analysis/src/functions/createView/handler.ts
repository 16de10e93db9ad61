import { createViewRoute, type Dataset, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { readyDataset, storeNewDataset } from '../../domain/dataset-storage';
import { streamView } from '../../domain/view-stream';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createViewRoute,
    async ({ user, params, body }) => {
      const { datasets, files, newId, now } = effects();
      const source = await readyDataset(datasets, user.sub, params.datasetId);
      // the source is read as a stream: never held whole, whatever its size (see streamView)
      const opened = await files.openSource(user.sub, source.datasetId);
      const result = await streamView(opened.body, source.columns, body);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name?.trim() ?? `${source.name} (view)`.slice(0, 100),
        format: 'csv',
        status: 'READY',
        ...result.shape,
        sizeBytes: result.sizeBytes,
        createdAt: now(),
      };
      await storeNewDataset({ datasets, files }, user.sub, dataset, result.csv);
      return { statusCode: 201, body: dataset, headers: { location: `/datasets/${dataset.datasetId}` } };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
