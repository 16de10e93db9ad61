import { createDatasetRoute, type Dataset, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { storeNewDataset } from '../../domain/dataset-storage';
import { acceptInlineFile } from '../../domain/inline-dataset';
import { buildMarketUniverse } from '../../domain/market-universe-dataset';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createDatasetRoute,
    async ({ user, body }) => {
      const { newId, now } = effects();
      const file =
        body.source === 'market-universe'
          ? await buildMarketUniverse(effects().marketData, user.sub, body, now())
          : await acceptInlineFile(body);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name.trim(),
        format: body.source === 'market-universe' ? 'csv' : body.format,
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
