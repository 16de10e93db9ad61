import {
  createDatasetRoute,
  DATASET_UPLOAD_SECONDS,
  type Dataset,
  type HttpRouteOptions,
  httpRoute,
} from '@kupala/trade-model';
import { storeNewDataset } from '../../domain/dataset-storage';
import { uploadLimit } from '../../domain/dataset-upload';
import { acceptInlineFile } from '../../domain/inline-dataset';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createDatasetRoute,
    async ({ user, body }) => {
      const { newId, now, datasets, files } = effects();
      const common = { datasetId: newId(), name: body.name.trim(), format: body.format, createdAt: now() };
      const headers = { location: `/datasets/${common.datasetId}` };
      if (body.content === undefined) {
        // the record first: the stored file starts its profiling, which must find it PENDING
        const dataset: Dataset = {
          ...common,
          status: 'PENDING',
          columns: [],
          rows: 0,
          sizeBytes: 0,
          ...(body.sheet === undefined ? {} : { sheet: body.sheet }),
        };
        const form = await files.uploadForm(
          user.sub,
          dataset.datasetId,
          DATASET_UPLOAD_SECONDS,
          uploadLimit(body.format),
        );
        await datasets.putDataset(user.sub, dataset);
        const uploadExpiresAt = new Date(
          Date.parse(common.createdAt) + DATASET_UPLOAD_SECONDS * 1000,
        ).toISOString();
        return {
          statusCode: 201,
          body: { ...dataset, uploadUrl: form.url, uploadFields: form.fields, uploadExpiresAt },
          headers,
        };
      }
      const file = await acceptInlineFile({ ...body, content: body.content });
      const dataset: Dataset = { ...common, status: 'READY', ...file.shape, sizeBytes: file.sizeBytes };
      await storeNewDataset(effects(), user.sub, dataset, file.csv);
      return { statusCode: 201, body: dataset, headers };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
