import {
  createViewRoute,
  type Dataset,
  type HttpRouteOptions,
  httpRoute,
  MAX_DATASET_CONTENT_BYTES,
  ValidationError,
} from '@kupala/trade-model';
import { describeCsv, readCsvRows } from '../../domain/csv-dataset';
import { readyDataset, storeNewDataset } from '../../domain/dataset-storage';
import { applyView, toCsv } from '../../domain/views';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

/** A view may grow its source (derived columns), up to this much CSV. */
const MAX_VIEW_BYTES = 4 * MAX_DATASET_CONTENT_BYTES;

export const buildHandler = (
  effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createViewRoute,
    async ({ user, params, body }) => {
      const { datasets, files, newId, now } = effects();
      const source = await readyDataset(datasets, user.sub, params.datasetId);
      const result = applyView(
        { columns: source.columns, rows: readCsvRows(await files.readSource(user.sub, source.datasetId)) },
        body,
      );
      if (result.rows.length === 0)
        throw new ValidationError('the view leaves no rows', [
          { path: 'filter', message: 'no row passes the filter' },
        ]);
      const content = toCsv(result.header, result.rows);
      const sizeBytes = Buffer.byteLength(content, 'utf8');
      if (sizeBytes > MAX_VIEW_BYTES)
        throw new ValidationError('the view is too large', [
          { path: 'derive', message: `the result exceeds ${MAX_VIEW_BYTES} bytes` },
        ]);
      const dataset: Dataset = {
        datasetId: newId(),
        name: body.name?.trim() ?? `${source.name} (view)`.slice(0, 100),
        format: 'csv',
        status: 'READY',
        ...describeCsv(content),
        sizeBytes,
        createdAt: now(),
      };
      await storeNewDataset({ datasets, files }, user.sub, dataset, content);
      return { statusCode: 201, body: dataset, headers: { location: `/datasets/${dataset.datasetId}` } };
    },
    { idempotencyStore: () => effects().idempotency, ...options },
  );

export const main = buildHandler();
