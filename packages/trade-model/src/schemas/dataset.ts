import * as z from '../zod';
import { documentedWith } from './json-schema';
import { boundedText, IdSchema, inlineContent, TimestampSchema } from './primitives';

export const DATASET_FORMATS = ['csv', 'xlsx'] as const;
export const DatasetFormatSchema = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

export const COLUMN_TYPES = ['number', 'string', 'date'] as const;
export const ColumnTypeSchema = z.enum(COLUMN_TYPES);
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

/** Largest inline dataset: 1 MiB of UTF-8 text. */
export const MAX_DATASET_CONTENT_BYTES = 1024 * 1024;
/** Largest JSON body of `POST /datasets`: the content plus its JSON escaping (quotes double in the worst case). */
export const MAX_CREATE_DATASET_BODY_BYTES = 3 * MAX_DATASET_CONTENT_BYTES;
export const MAX_DATASET_COLUMNS = 500;
/** Most CSV bytes a view's result may have (a view may grow its source with derived columns). */
export const MAX_VIEW_BYTES = 4 * MAX_DATASET_CONTENT_BYTES;
/** Most data rows a dataset file may hold (a sheet of 1 MiB can unpack to far more than its CSV equivalent). */
export const MAX_DATASET_ROWS = 200_000;
export const MAX_COLUMN_NAME_LENGTH = 200;
/** Rows `GET /datasets/{datasetId}` shows. */
export const DATASET_PREVIEW_ROWS = 20;

/** Largest uploaded CSV file (presigned POST: S3 refuses a larger one; it is profiled as a stream). */
export const MAX_DATASET_UPLOAD_BYTES = 256 * 1024 * 1024;
/** A presigned dataset upload is valid this long. */
export const DATASET_UPLOAD_SECONDS = 15 * 60;

/** Longest worksheet name Excel allows. */
export const MAX_SHEET_NAME_LENGTH = 31;
/** Largest unpacked size of an XLSX file's parts together (a zip bomb is refused before it is unpacked). */
export const MAX_XLSX_UNPACKED_BYTES = 32 * 1024 * 1024;
/** Largest uploaded workbook: it is read whole, and its parts unpack to at least its size. */
export const MAX_XLSX_UPLOAD_BYTES = MAX_XLSX_UNPACKED_BYTES;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Body of `POST /datasets`. With `content` the file comes inline. `csv`: the CSV text, whose first record names
 * the columns. `xlsx`: the workbook file base64-encoded; the first worksheet (or the one named by `sheet`) is
 * read, its first non-empty row names the columns, and it is kept as CSV. Without `content` the answer carries a
 * presigned upload form for the file (larger files: CSV up to 256 MiB, XLSX up to 32 MiB). Example:
 * `{"name":"Prices 2026","format":"csv","content":"date,close\n2026-03-02,190.5\n"}`.
 */
export const CreateDatasetBodySchema = documentedWith(
  z
    .strictObject({
      name: boundedText(100),
      format: DatasetFormatSchema,
      content: z.optional(
        documentedWith(inlineContent(MAX_DATASET_CONTENT_BYTES), {
          description:
            "csv: CSV text whose first record names the columns. xlsx: the .xlsx file in base64 (so at most 768 KiB of file). It is parsed on arrival; a file that is not such CSV, a corrupt or oversized workbook (more than 32 MiB unpacked: a zip bomb), or a sheet with more than 200000 rows or 500 columns answers 400 with details at `content`. Leave it out to upload the file instead (see the answer's uploadUrl).",
        }),
      ),
      sheet: z.optional(boundedText(MAX_SHEET_NAME_LENGTH)),
    })
    .check(
      z.refine((body) => body.format === 'xlsx' || body.sheet === undefined, {
        message: 'sheet applies to xlsx only',
        path: ['sheet'],
      }),
      z.refine((body) => body.format !== 'xlsx' || body.content === undefined || BASE64.test(body.content), {
        message: 'xlsx content must be the file in base64',
        path: ['content'],
      }),
    ),
  {
    description:
      '`sheet` (xlsx only) names the worksheet to read, by default the first one; a name the workbook lacks answers 400 at `sheet` (inline) or ends the upload FAILED. With another format it answers 400: sheet applies to xlsx only. xlsx content that is not base64 answers 400: xlsx content must be the file in base64.',
  },
);
export type CreateDatasetBody = z.infer<typeof CreateDatasetBodySchema>;

/** A column and the type inferred from its non-empty cells. Example: `{"name":"close","type":"number"}`. */
export const DatasetColumnSchema = z.strictObject({ name: z.string(), type: ColumnTypeSchema });
export type DatasetColumn = z.infer<typeof DatasetColumnSchema>;

export const DATASET_STATUSES = ['PENDING', 'READY', 'FAILED'] as const;
/** PENDING until an uploaded file is profiled, then READY, or FAILED with the reason (nothing of it kept). */
export const DatasetStatusSchema = z.enum(DATASET_STATUSES);
export type DatasetStatus = z.infer<typeof DatasetStatusSchema>;

/**
 * A dataset as the API returns it; `rows` counts data rows (the header is not one). An uploaded dataset is
 * PENDING (no columns, 0 rows) until its file is profiled, then READY or FAILED with `error`. Example:
 * `{"datasetId":"01JQ…","name":"Prices 2026","format":"csv","status":"READY","rows":1,"columns":[{"name":"date",
 * "type":"date"},{"name":"close","type":"number"}],"sizeBytes":34,"createdAt":"2026-03-02T10:00:00.000Z"}`.
 */
export const DatasetSchema = z.strictObject({
  datasetId: IdSchema,
  name: z.string(),
  format: DatasetFormatSchema,
  status: DatasetStatusSchema,
  /** Why an uploaded file was refused (FAILED only), e.g. "CSV is ragged: row 3 (line 4) has 2 fields; …". */
  error: z.optional(z.string()),
  rows: z.number(),
  columns: z.array(DatasetColumnSchema),
  sizeBytes: z.number(),
  createdAt: TimestampSchema,
  /** The sheet to read from an uploaded workbook. */
  sheet: z.optional(z.string()),
});
export type Dataset = z.infer<typeof DatasetSchema>;

/**
 * Answer of `POST /datasets` (201): the dataset and, when no `content` was sent, where to send the file: a
 * multipart/form-data POST to `uploadUrl` with every `uploadFields` entry as a form field and the file last, as
 * field `file` (an S3 presigned POST, valid 15 minutes, which refuses an empty file or one above the format's
 * limit). The dataset stays PENDING until the stored file is profiled.
 */
export const CreatedDatasetSchema = z.extend(DatasetSchema, {
  uploadUrl: z.optional(z.string()),
  uploadFields: z.optional(z.record(z.string(), z.string())),
  uploadExpiresAt: z.optional(TimestampSchema),
});
export type CreatedDataset = z.infer<typeof CreatedDatasetSchema>;

/** One dataset with a preview: its first 20 data rows, cells as the file has them (none unless READY). */
export const DatasetDetailSchema = z.extend(DatasetSchema, { preview: z.array(z.array(z.string())) });
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

export const DatasetPathSchema = z.strictObject({ datasetId: IdSchema });

/** A formula of the safe expression language (arithmetic, comparisons, and/or/not, whitelisted functions). */
const FormulaSchema = z.string().check(z.minLength(1), z.maxLength(1000));
const ColumnNameSchema = z.string().check(z.minLength(1), z.maxLength(MAX_COLUMN_NAME_LENGTH));
export const VIEW_AGGREGATES = ['sum', 'mean', 'count', 'min', 'max'] as const;

/**
 * Body of `POST /datasets/{datasetId}/views`: derive columns, then filter, then pivot, then sort; the result is a
 * new dataset. Example: `{"derive":[{"name":"ret","formula":"log(close / open)"}],"filter":"volume > 1000 and
 * sector == \"tech\"","pivot":{"groupBy":["sector"],"values":[{"column":"ret","aggregate":"mean"}]},
 * "sort":[{"column":"mean_ret","direction":"desc"}]}`. Formulas: numbers, "strings", columns by name or
 * `[name with spaces]`, + - * / % ^, < <= > >= == !=, and or not, and the functions abs, sqrt, log, exp, floor,
 * ceil, round(x, digits?), min, max, if(condition, then, else), isnull. They are interpreted, never run as code.
 */
export const CreateViewBodySchema = z.strictObject({
  name: z.optional(boundedText(100)),
  derive: z.optional(
    z
      .array(z.strictObject({ name: boundedText(MAX_COLUMN_NAME_LENGTH), formula: FormulaSchema }))
      .check(z.maxLength(20)),
  ),
  filter: z.optional(FormulaSchema),
  pivot: z.optional(
    z.strictObject({
      groupBy: z.array(ColumnNameSchema).check(z.minLength(1), z.maxLength(5)),
      values: z
        .array(z.strictObject({ column: ColumnNameSchema, aggregate: z.enum(VIEW_AGGREGATES) }))
        .check(z.minLength(1), z.maxLength(20)),
    }),
  ),
  sort: z.optional(
    z
      .array(z.strictObject({ column: ColumnNameSchema, direction: z.optional(z.enum(['asc', 'desc'])) }))
      .check(z.maxLength(5)),
  ),
});
export type CreateViewBody = z.infer<typeof CreateViewBodySchema>;
