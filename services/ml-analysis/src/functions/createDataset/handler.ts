import { createDatasetRoute, type Dataset, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { describeCsv } from '../../domain/csv-dataset';
import { storeNewDataset } from '../../domain/dataset-storage';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createDatasetRoute,
    async ({ user, body }) => {
      const { newId, now } = effects();
      const shape = describeCsv(body.content);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name.trim(),
        format: 'csv',
        ...shape,
        sizeBytes: Buffer.byteLength(body.content, 'utf8'),
        createdAt: now(),
      };
      await storeNewDataset(effects(), user.sub, dataset, body.content);
      return { statusCode: 201, body: dataset, headers: { location: `/datasets/${dataset.datasetId}` } };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
