import { defineRoute } from '../http/route';
import { PaginationQuerySchema, pageOf } from '../schemas/api';
import {
  CreateDatasetBodySchema,
  DatasetDetailSchema,
  DatasetPathSchema,
  DatasetSchema,
  MAX_CREATE_DATASET_BODY_BYTES,
} from '../schemas/dataset';

export const createDatasetRoute = defineRoute({
  operationId: 'createDataset',
  method: 'POST',
  path: '/datasets',
  summary: 'Create a dataset from inline CSV text (up to 1 MiB)',
  description: [
    'The first CSV record names the columns (unique, non-blank); every other record is a data row and must',
    'have as many fields as the header. A column\'s type is inferred from its non-empty cells: "number" when',
    'all are decimal numbers, "date" when all are ISO dates (YYYY-MM-DD, optionally with a time), else',
    '"string". Empty, header-only or ragged CSV answers 400 naming the row and line. The file is kept as sent.',
  ].join(' '),
  tag: 'ML analysis',
  auth: true,
  body: CreateDatasetBodySchema,
  response: DatasetSchema,
  successStatus: 201,
  idempotent: true,
  maxBodyBytes: MAX_CREATE_DATASET_BODY_BYTES,
});

export const listDatasetsRoute = defineRoute({
  operationId: 'listDatasets',
  method: 'GET',
  path: '/datasets',
  summary: "List the caller's datasets (oldest first)",
  tag: 'ML analysis',
  auth: true,
  query: PaginationQuerySchema,
  response: pageOf(DatasetSchema),
  successStatus: 200,
});

export const getDatasetRoute = defineRoute({
  operationId: 'getDataset',
  method: 'GET',
  path: '/datasets/{datasetId}',
  summary: 'Read one dataset: its columns, row count and a preview of its first 20 rows',
  tag: 'ML analysis',
  auth: true,
  params: DatasetPathSchema,
  response: DatasetDetailSchema,
  successStatus: 200,
});

export const deleteDatasetRoute = defineRoute({
  operationId: 'deleteDataset',
  method: 'DELETE',
  path: '/datasets/{datasetId}',
  summary: 'Delete a dataset and its stored files',
  tag: 'ML analysis',
  auth: true,
  params: DatasetPathSchema,
  successStatus: 204,
});

/** The ML-analysis operations, in document order. */
export const ML_ROUTES = [
  createDatasetRoute,
  listDatasetsRoute,
  getDatasetRoute,
  deleteDatasetRoute,
] as const;
