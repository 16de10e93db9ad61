import { createDatasetRoute, type Dataset, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { storeNewDataset } from '../../domain/dataset-storage';
import { startDatasetUpload } from '../../domain/dataset-upload';
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
      const common = { datasetId: newId(), name: body.name.trim(), createdAt: now() };
      const headers = { location: `/datasets/${common.datasetId}` };
      if (body.source !== 'market-universe' && body.content === undefined) {
        const { sheet, format } = body;
        const created = await startDatasetUpload(effects(), user.sub, {
          ...common,
          format,
          ...(sheet === undefined ? {} : { sheet }),
        });
        return { statusCode: 201, body: created, headers };
      }
      const file =
        body.source === 'market-universe'
          ? await buildMarketUniverse(effects().marketData, user.sub, body, common.createdAt)
          : await acceptInlineFile({ ...body, content: body.content ?? '' });
      const dataset: Dataset = {
        ...common,
        format: body.source === 'market-universe' ? 'csv' : body.format,
        status: 'READY',
        ...file.shape,
        sizeBytes: file.sizeBytes,
      };
      await storeNewDataset(effects(), user.sub, dataset, file.csv);
      return { statusCode: 201, body: dataset, headers };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
