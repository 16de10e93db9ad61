import { createDatasetRoute, type Dataset, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { storeNewDataset } from '../../domain/dataset-storage';
import { acceptInlineFile } from '../../domain/inline-dataset';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createDatasetRoute,
    async ({ user, body }) => {
      const { newId, now } = effects();
      const file = await acceptInlineFile(body);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name.trim(),
        format: body.format,
        ...file.shape,
        sizeBytes: file.sizeBytes,
        createdAt: now(),
      };
      await storeNewDataset(effects(), user.sub, dataset, file.csv);
      return { statusCode: 201, body: dataset, headers: { location: `/datasets/${dataset.datasetId}` } };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
