import { defineRoute } from '../http/route';
import { pageOf } from '../schemas/api';
import {
  CreatedImportSchema,
  CreateImportBodySchema,
  GenericCsvMappingSchema,
  ImportMappingPathSchema,
  ImportPathSchema,
  ImportSchema,
  MAX_CREATE_IMPORT_BODY_BYTES,
  SavedMappingSchema,
} from '../schemas/import';
import { PortfolioPathSchema } from '../schemas/portfolio';

export const createImportRoute = defineRoute({
  operationId: 'createImport',
  method: 'POST',
  path: '/portfolios/{portfolioId}/imports',
  summary: 'Import a broker file into a portfolio, asynchronously',
  description: [
    'With `content` (up to 1 MiB) the file is taken inline; without it the answer carries `uploadUrl` and',
    '`uploadFields`: POST a multipart/form-data form to `uploadUrl` within 15 minutes (`uploadExpiresAt`) with',
    'every `uploadFields` entry as a field and the file last as field `file`; S3 refuses a file over 256 MiB',
    '(and processing fails one over 1,000,000 lines, every line counted). Processing starts when the file',
    'is stored; poll `GET …/imports/{importId}`. The booking pass reads the very object the validation pass',
    'read (its ETag): a file replaced in between fails the import, nothing of it booked. The whole file is validated first: any row error fails the',
    'import and books nothing. Trades already booked by an earlier import (same fingerprint: the broker id,',
    'or the content of the trade and its occurrence in the file) are counted as `duplicates` and not booked',
    'again. `dryRun` validates and counts without booking. generic-csv needs a `mapping`, or the `mappingName` of',
    'one saved on the portfolio; `saveMappingAs` saves the mapping sent for later imports.',
  ].join(' '),
  tag: 'Imports and exports',
  auth: true,
  params: PortfolioPathSchema,
  body: CreateImportBodySchema,
  response: CreatedImportSchema,
  successStatus: 202,
  idempotent: true,
  maxBodyBytes: MAX_CREATE_IMPORT_BODY_BYTES,
});

export const getImportRoute = defineRoute({
  operationId: 'getImport',
  method: 'GET',
  path: '/portfolios/{portfolioId}/imports/{importId}',
  summary: 'Read an import: status, counts, row errors and progress',
  tag: 'Imports and exports',
  auth: true,
  params: ImportPathSchema,
  response: ImportSchema,
  successStatus: 200,
});

export const putImportMappingRoute = defineRoute({
  operationId: 'putImportMapping',
  method: 'PUT',
  path: '/portfolios/{portfolioId}/import-mappings/{name}',
  summary: 'Save (or replace) a generic-csv column mapping on a portfolio for reuse',
  tag: 'Imports and exports',
  auth: true,
  params: ImportMappingPathSchema,
  body: GenericCsvMappingSchema,
  response: SavedMappingSchema,
  successStatus: 200,
});

export const listImportMappingsRoute = defineRoute({
  operationId: 'listImportMappings',
  method: 'GET',
  path: '/portfolios/{portfolioId}/import-mappings',
  summary: "List the portfolio's saved generic-csv mappings, by name",
  tag: 'Imports and exports',
  auth: true,
  params: PortfolioPathSchema,
  response: pageOf(SavedMappingSchema),
  successStatus: 200,
});

/** The broker-import operations, in document order. */
export const IMPORT_ROUTES = [
  createImportRoute,
  getImportRoute,
  putImportMappingRoute,
  listImportMappingsRoute,
] as const;
