import {
  type CreatedDataset,
  DATASET_UPLOAD_SECONDS,
  type Dataset,
  type DatasetStatus,
  MAX_DATASET_UPLOAD_BYTES,
  MAX_XLSX_UPLOAD_BYTES,
  ValidationError,
} from '@kupala/trade-model';
import type { DatasetFiles } from '../adapters/dataset-files';
import type { DatasetsStore } from '../adapters/datasets-store';
import { describeCsvStream } from './csv-dataset';
import { toCsv } from './views';
import { readXlsx } from './xlsx-dataset';

/** Largest file each format may be uploaded as (the presigned form's content-length-range, checked again here). */
export const uploadLimit = (format: Dataset['format']): number =>
  format === 'csv' ? MAX_DATASET_UPLOAD_BYTES : MAX_XLSX_UPLOAD_BYTES;

/** A refusal as one line a user can act on: the message, then each detail. */
const refusalText = (error: ValidationError): string => {
  const details = (error.details ?? [])
    .map((detail) => detail.message)
    .filter((text) => text !== error.message);
  return details.length === 0 ? error.message : `${error.message}: ${details.join('; ')}`;
};

const readWhole = async (body: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
};

/**
 * Profiles the file uploaded for a PENDING dataset and ends it READY (the file becomes its CSV source) or FAILED
 * (with the reason; nothing of the file is kept). A CSV file is read as a stream, never whole. What is not a
 * PENDING dataset's upload (a redelivered event, a dataset deleted meanwhile) changes nothing; storage errors are
 * thrown, so that Lambda retries. Answers what became of it.
 */
export const processDatasetUpload = async (
  stores: { datasets: DatasetsStore; files: DatasetFiles },
  sub: string,
  datasetId: string,
): Promise<DatasetStatus | 'IGNORED'> => {
  const { datasets, files } = stores;
  const dataset = await datasets.getDataset(sub, datasetId);
  if (dataset === undefined) {
    // uploaded after its dataset was deleted: nobody can see or delete it any more
    await files.deleteUpload(sub, datasetId);
    return 'IGNORED';
  }
  if (dataset.status !== 'PENDING') return 'IGNORED';
  const upload = await files.openUpload(sub, datasetId);
  if (upload === undefined) return 'IGNORED';

  let shape: { columns: Dataset['columns']; rows: number };
  try {
    const limit = uploadLimit(dataset.format);
    if (upload.bytes > limit) {
      (upload.body as { destroy?: () => void }).destroy?.();
      throw new ValidationError(`the file is larger than ${limit} bytes`);
    }
    if (dataset.format === 'csv') {
      shape = await describeCsvStream(upload.body);
      await files.promoteUpload(sub, datasetId);
    } else {
      const table = await readXlsx(await readWhole(upload.body), dataset.sheet);
      shape = { columns: table.columns, rows: table.rows };
      await files.putSource(sub, datasetId, toCsv(table.header, table.data));
    }
  } catch (error: unknown) {
    if (!(error instanceof ValidationError)) throw error;
    await datasets.finishUpload(sub, datasetId, {
      status: 'FAILED',
      error: refusalText(error),
      sizeBytes: upload.bytes,
    });
    await files.deleteUpload(sub, datasetId);
    return 'FAILED';
  }
  const finished = await datasets.finishUpload(sub, datasetId, {
    status: 'READY',
    ...shape,
    sizeBytes: upload.bytes,
  });
  // deleted while it was profiled: its files go too (a concurrent redelivery that finished first keeps them)
  if (!finished && (await datasets.getDataset(sub, datasetId)) === undefined) {
    await files.deleteAll(sub, datasetId);
    return 'IGNORED';
  }
  await files.deleteUpload(sub, datasetId);
  return finished ? 'READY' : 'IGNORED';
};

/**
 * Creates a PENDING dataset for a file to upload and answers it with its presigned upload form (valid
 * DATASET_UPLOAD_SECONDS, bounded by the format's limit). The record comes first: the stored file starts its
 * profiling, which must find it PENDING.
 */
export const startDatasetUpload = async (
  stores: { datasets: DatasetsStore; files: DatasetFiles },
  sub: string,
  start: Pick<Dataset, 'datasetId' | 'name' | 'format' | 'createdAt' | 'sheet'>,
): Promise<CreatedDataset> => {
  const dataset: Dataset = { ...start, status: 'PENDING', columns: [], rows: 0, sizeBytes: 0 };
  const form = await stores.files.uploadForm(
    sub,
    dataset.datasetId,
    DATASET_UPLOAD_SECONDS,
    uploadLimit(dataset.format),
  );
  await stores.datasets.putDataset(sub, dataset);
  const uploadExpiresAt = new Date(
    Date.parse(dataset.createdAt) + DATASET_UPLOAD_SECONDS * 1000,
  ).toISOString();
  return { ...dataset, uploadUrl: form.url, uploadFields: form.fields, uploadExpiresAt };
};
