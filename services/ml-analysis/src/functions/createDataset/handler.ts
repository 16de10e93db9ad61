import {
  createDatasetRoute,
  type Dataset,
  type HttpRouteOptions,
  httpRoute,
  logger,
} from '@kupala/trade-model';
import { describeCsv } from '../../domain/csv-dataset';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createDatasetRoute,
    async ({ user, body }) => {
      const { datasets, files, newId, now } = effects();
      const shape = describeCsv(body.content);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name.trim(),
        format: 'csv',
        ...shape,
        sizeBytes: Buffer.byteLength(body.content, 'utf8'),
        createdAt: now(),
      };
      await files.putSource(user.sub, dataset.datasetId, body.content);
      try {
        await datasets.putDataset(user.sub, dataset);
      } catch (error: unknown) {
        // Without its metadata the file could never be listed or deleted: take it back, then fail.
        await files.deleteSource(user.sub, dataset.datasetId).catch((cleanupError: unknown) => {
          logger.error('dataset file left without metadata', {
            datasetId: dataset.datasetId,
            error: cleanupError,
          });
        });
        throw error;
      }
      return { statusCode: 201, body: dataset, headers: { location: `/datasets/${dataset.datasetId}` } };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
