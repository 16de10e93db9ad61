import { defineRoute } from '../http/route';
import {
  AnalysisPathSchema,
  AnalysisSchema,
  CreateAnalysisBodySchema,
  CreatedAnalysisSchema,
  PredictionsQuerySchema,
  PredictionsSchema,
} from '../schemas/analysis';
import { PaginationQuerySchema, pageOf } from '../schemas/api';
import {
  CreatedDatasetSchema,
  CreateViewBodySchema,
  DatasetDetailSchema,
  DatasetPathSchema,
  DatasetSchema,
  MAX_CREATE_DATASET_BODY_BYTES,
  MAX_VIEW_BYTES,
} from '../schemas/dataset';
import { CreateDatasetRequestSchema } from '../schemas/market-universe';

const MARKET_UNIVERSE_DESCRIPTION = [
  'Market universe (`"source":"market-universe"`): built from the daily closes the caller sees (the feed\'s, their',
  'manual prices winning on a date; the last 5 years, in the currency of the latest close) of each symbol in',
  "`symbols`, or of every symbol on the feed's refresh list. One row per symbol and month end (the last close of a",
  'month) with 252 closes before it and 21 after: symbol, date, ret_5d, ret_21d, ret_63d, ret_252d (simple returns',
  'over that many closes), vol_21d, vol_63d (sample standard deviation of daily returns x sqrt(252)), maxdd_252d',
  '(most negative close / running peak - 1 over 252 closes), mom_12_1 (return from 252 to 21 closes back) and the',
  'target fwd_ret_21d (return over the next 21 closes). Stored as a CSV dataset like an upload. 422 when there is',
  'no symbol to cover, the refresh list holds more than 100, or no symbol has the 274 closes a row needs.',
].join(' ');

export const createDatasetRoute = defineRoute({
  operationId: 'createDataset',
  method: 'POST',
  path: '/datasets',
  summary:
    'Create a dataset from an inline CSV text or XLSX workbook (up to 1 MiB), or start an upload of a larger file',
  description: [
    'The first CSV record names the columns (unique, non-blank); every other record is a data row and must',
    'have as many fields as the header. A column\'s type is inferred from its non-empty cells: "number" when',
    'all are decimal numbers, "date" when all are ISO dates (YYYY-MM-DD, optionally with a time), else',
    '"string". Empty, header-only or ragged CSV answers 400 naming the row and line. The file is kept as sent.',
    'XLSX (base64 content): one worksheet is read the same way (its first non-empty row names the columns, blank',
    'rows are skipped, date cells become ISO dates, formulas their cached result, error cells missing values) and',
    'kept as CSV; a corrupt workbook or one unpacking to more than 32 MiB (zip bomb) answers 400 and stores nothing.',
    'Without `content` the dataset is created PENDING and the answer carries a presigned upload form (CSV up to',
    '256 MiB, XLSX up to 32 MiB, valid 15 minutes); once the file is stored it is profiled (a CSV as a stream) and',
    'the dataset becomes READY, or FAILED with `error` saying why (the same checks as inline; nothing of a refused',
    'file is kept). Poll `GET /datasets/{datasetId}`.',
    MARKET_UNIVERSE_DESCRIPTION,
  ].join(' '),
  tag: 'ML analysis',
  auth: true,
  body: CreateDatasetRequestSchema,
  response: CreatedDatasetSchema,
  successStatus: 201,
  idempotent: true,
  maxBodyBytes: MAX_CREATE_DATASET_BODY_BYTES,
  errorResponses: {
    422: 'market universe: no symbol to cover, more than 100 on the refresh list, or no symbol with the 274 daily closes a row needs',
  },
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

export const createViewRoute = defineRoute({
  operationId: 'createView',
  method: 'POST',
  path: '/datasets/{datasetId}/views',
  summary: 'Derive a new dataset from one: derived columns, filter, pivot and sort',
  errorResponses: { 409: 'the dataset is not READY (its upload is PENDING or FAILED)' },
  description: [
    'Steps run in that order. Formulas are a safe expression language, interpreted and never run as code; a',
    'formula or column name the dataset does not have answers 400 naming the field. The result is stored as a',
    'new CSV dataset (201) with its columns typed again. The source is read as a stream (any dataset size); the',
    `result may have at most ${MAX_VIEW_BYTES} bytes of CSV (400 "the view is too large" as soon as it would`,
    'exceed that) and at least one row (400 "the view leaves no rows").',
  ].join(' '),
  tag: 'ML analysis',
  auth: true,
  params: DatasetPathSchema,
  body: CreateViewBodySchema,
  response: DatasetSchema,
  successStatus: 201,
  idempotent: true,
});

export const createAnalysisRoute = defineRoute({
  operationId: 'createAnalysis',
  method: 'POST',
  path: '/analyses',
  summary: 'Start an AutoML run on a dataset column, asynchronously',
  description: [
    'Every model family that can learn the task (or those in `include`) is cross-validated on the same seeded',
    'folds (stratified for classification), with imputation, categorical encoding and scaling fitted inside each',
    'fold; the families run in parallel. Poll `GET /analyses/{analysisId}`. 404 when the dataset is not the',
    "caller's; 400 when the target is not one of its columns or cannot serve the task.",
  ].join(' '),
  tag: 'ML analysis',
  auth: true,
  body: CreateAnalysisBodySchema,
  response: CreatedAnalysisSchema,
  successStatus: 202,
  idempotent: true,
  errorResponses: {
    404: "the dataset does not exist or is another user's",
    409: 'the dataset is not READY (its upload is PENDING or FAILED)',
  },
});

export const getAnalysisRoute = defineRoute({
  operationId: 'getAnalysis',
  method: 'GET',
  path: '/analyses/{analysisId}',
  summary: 'Read an analysis: status, progress, leaderboard and best model',
  tag: 'ML analysis',
  auth: true,
  params: AnalysisPathSchema,
  response: AnalysisSchema,
  successStatus: 200,
});

export const getAnalysisPredictionsRoute = defineRoute({
  operationId: 'getAnalysisPredictions',
  method: 'GET',
  path: '/analyses/{analysisId}/predictions',
  summary: "The best model's predictions for every row with a target (JSON, or CSV with format=csv)",
  description: '409 while the analysis has not succeeded.',
  tag: 'ML analysis',
  auth: true,
  params: AnalysisPathSchema,
  query: PredictionsQuerySchema,
  response: PredictionsSchema,
  successStatus: 200,
  errorResponses: { 409: 'the analysis has not succeeded (yet)' },
});

/** The ML-analysis operations, in document order. */
export const ML_ROUTES = [
  createDatasetRoute,
  listDatasetsRoute,
  getDatasetRoute,
  deleteDatasetRoute,
  createViewRoute,
  createAnalysisRoute,
  getAnalysisRoute,
  getAnalysisPredictionsRoute,
] as const;
