import * as z from '../zod';
import { documentedWith } from './json-schema';
import { IdSchema, inlineContent, TimestampSchema } from './primitives';
import { TradeTypeSchema } from './trade';

/** The `format` ids of `POST /portfolios/{portfolioId}/imports`. */
export const IMPORT_FORMATS = [
  'generic-csv',
  'ibkr-flex-xml',
  'ibkr-flex-csv',
  'ibkr-activity-csv',
  'schwab-csv',
  'fidelity-csv',
  'kupala-json',
] as const;
/** Which broker layout the file has. Example: `"schwab-csv"`. */
export const ImportFormatSchema = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

/** Date layouts a generic-csv mapping may name; day and month may have one or two digits. */
export const GENERIC_DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
] as const;
export type GenericDateFormat = (typeof GENERIC_DATE_FORMATS)[number];

/**
 * Trade fields a generic-csv column can fill. `feeCurrency` is not a trade field: it names the currency
 * of the `fees` column when that differs from the trade's.
 */
export const GENERIC_CSV_FIELDS = [
  'type',
  'instrument.assetClass',
  'instrument.symbol',
  'instrument.currency',
  'instrument.isin',
  'instrument.multiplier',
  'instrument.underlying',
  'instrument.expiry',
  'instrument.strike',
  'instrument.putCall',
  'quantity',
  'price',
  'amount',
  'currency',
  'fees',
  'feeCurrency',
  'tradeDate',
  'settleDate',
  'fxRate',
  'ratio',
  'externalId',
  'note',
] as const;
export type GenericCsvField = (typeof GENERIC_CSV_FIELDS)[number];

const MAX_TYPE_VALUES = 64;

// "not blank" is stated as a pattern (JSON Schema patterns are unanchored: some non-space character), so a
// client reading the document knows a header of spaces is refused.
export const ColumnHeaderSchema = documentedWith(
  z.string().check(
    z.minLength(1),
    z.maxLength(128),
    z.refine((value) => value.trim().length > 0, 'must not be blank'),
  ),
  { pattern: '\\S', description: 'A column header as the file writes it: 1 to 128 characters, not blank' },
);

/**
 * The `mapping` of a generic-csv import: which column holds which trade field, and how the file writes
 * dates, decimals and trade types. Needs a `tradeDate` column and either a `type` column or a `quantity`
 * column (whose sign then tells BUY from SELL). Example:
 * `{"columns":{"tradeDate":"Date","type":"Side","instrument.symbol":"Ticker","quantity":"Qty",
 * "price":"Price","currency":"Ccy"},"dateFormat":"DD/MM/YYYY","typeValues":{"B":"BUY","S":"SELL"}}`.
 */
export const GenericCsvMappingSchema = documentedWith(
  z
    .strictObject({
      columns: z.partialRecord(z.enum(GENERIC_CSV_FIELDS), ColumnHeaderSchema),
      dateFormat: z.optional(z.enum(GENERIC_DATE_FORMATS)),
      delimiter: z.optional(z.enum([',', ';', '\t', '|'])),
      decimalSeparator: z.optional(z.enum(['.', ','])),
      typeValues: z.optional(
        z
          .record(z.string().check(z.minLength(1), z.maxLength(64)), TradeTypeSchema)
          .check(
            z.refine(
              (values) => Object.keys(values).length <= MAX_TYPE_VALUES,
              `must have at most ${MAX_TYPE_VALUES} entries`,
            ),
          ),
      ),
    })
    .check(
      z.superRefine((mapping, ctx) => {
        const issue = (path: string[], message: string) =>
          ctx.issues.push({ code: 'custom', path, message, input: mapping });
        if (mapping.columns.tradeDate === undefined) issue(['columns', 'tradeDate'], 'is required');
        if (mapping.columns.type === undefined && mapping.columns.quantity === undefined) {
          issue(['columns', 'type'], 'is required unless a quantity column gives the direction by its sign');
        }
      }),
    ),
  {
    description:
      'columns.tradeDate is required; columns.type is required unless a quantity column gives the direction by its sign.',
  },
);
export type GenericCsvMapping = z.infer<typeof GenericCsvMappingSchema>;

/** Largest inline import: 1 MiB of UTF-8 text (larger files go through the presigned upload). */
export const MAX_IMPORT_CONTENT_BYTES = 1024 * 1024;
/** Largest uploaded import file: 256 MiB (S3 refuses a larger upload; processing checks it again). */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;
/** Lines an import file may have, blank, header, total and skipped lines included. */
export const MAX_IMPORT_FILE_LINES = 1_000_000;
/** Largest JSON body of `POST …/imports`: the content plus its JSON escaping (quotes double in the worst case). */
export const MAX_CREATE_IMPORT_BODY_BYTES = 3 * MAX_IMPORT_CONTENT_BYTES;

/**
 * Body of `POST /portfolios/{portfolioId}/imports`. With `content` the file is taken inline; without it
 * the answer carries a presigned `uploadUrl` to PUT the file to. `mapping` is required for generic-csv.
 * Example: `{"format":"generic-csv","mapping":{"columns":{"tradeDate":"Date","type":"Side",
 * "instrument.symbol":"Ticker","quantity":"Qty","price":"Price","currency":"Ccy"}},
 * "content":"Date,Side,Ticker,Qty,Price,Ccy\n2026-01-05,BUY,AAPL,10,190.5,USD\n"}`.
 */
/** Name of a saved generic-csv mapping, unique within its portfolio. */
export const MappingNameSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'must be 1-64 letters, digits, space or . _ -'));

export const CreateImportBodySchema = z
  .strictObject({
    format: ImportFormatSchema,
    dryRun: z._default(z.boolean(), false),
    mapping: z.optional(GenericCsvMappingSchema),
    /** Use a mapping saved on the portfolio (`PUT …/import-mappings/{name}`) instead of sending one. */
    mappingName: z.optional(MappingNameSchema),
    /** Also save the `mapping` sent under this name for later imports. */
    saveMappingAs: z.optional(MappingNameSchema),
    content: z.optional(inlineContent(MAX_IMPORT_CONTENT_BYTES)),
  })
  .check(
    z.superRefine((body, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.issues.push({ code: 'custom', path: [path], message, input: body });
      if (body.format === 'generic-csv' && body.mapping === undefined && body.mappingName === undefined) {
        issue('mapping', 'is required for format generic-csv (or name a saved one in mappingName)');
      }
      if (body.mapping !== undefined && body.mappingName !== undefined)
        issue('mappingName', 'send either mapping or mappingName');
      if (body.saveMappingAs !== undefined && body.mapping === undefined)
        issue('saveMappingAs', 'needs a mapping to save');
      if (
        body.format !== 'generic-csv' &&
        (body.mapping ?? body.mappingName ?? body.saveMappingAs) !== undefined
      ) {
        issue('format', 'a column mapping applies to generic-csv only');
      }
    }),
  );
export type CreateImportBody = z.infer<typeof CreateImportBodySchema>;
documentedWith(CreateImportBodySchema, {
  description:
    'Rules across fields (400 at the field): mapping is required for format generic-csv (or name a saved one in ' +
    'mappingName); send either mapping or mappingName; saveMappingAs needs a mapping to save; a column mapping ' +
    'applies to generic-csv only.',
});

/**
 * Answer of `POST …/imports` (202): the import to poll and, for an upload, where to send the file: a
 * multipart/form-data POST to `uploadUrl` with every `uploadFields` entry as a form field and the file
 * last, as field `file` (an S3 presigned POST, which refuses files above MAX_IMPORT_FILE_BYTES).
 */
export const CreatedImportSchema = z.strictObject({
  importId: IdSchema,
  status: z.enum(['PENDING']),
  uploadUrl: z.optional(z.string()),
  uploadFields: z.optional(z.record(z.string(), z.string())),
  uploadExpiresAt: z.optional(TimestampSchema),
});
export type CreatedImport = z.infer<typeof CreatedImportSchema>;

export const IMPORT_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
/** PENDING until the file is there, RUNNING while read and booked, then SUCCEEDED or FAILED (nothing booked). */
export const ImportStatusSchema = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/**
 * Why a line of a file produced no trade without being wrong: `HEADER` (column headers), `TITLE` (title or
 * account-name lines above the header), `SUBTOTAL` / `TOTAL` (the broker's sums), `CLOSED_LOT` (lot detail
 * of a sale), `ORDER_SUMMARY` (an order whose executions are imported instead), `OTHER_SECTION` (a
 * section of a statement the importer does not read), `FOOTER` (disclaimers after the activity),
 * `CANCELLED`, `UNSUPPORTED` (an action the importer cannot book, e.g. a merger: book it by hand),
 * `NON_ECONOMIC` (moves no cash and no position, e.g. a name change), `NETTED` (a refund or reversal
 * netted with the charge it undoes: neither is booked).
 */
export const IMPORT_SKIP_REASONS = [
  'HEADER',
  'TITLE',
  'SUBTOTAL',
  'TOTAL',
  'CLOSED_LOT',
  'ORDER_SUMMARY',
  'OTHER_SECTION',
  'FOOTER',
  'CANCELLED',
  'UNSUPPORTED',
  'NON_ECONOMIC',
  'NETTED',
] as const;
export const ImportSkipReasonSchema = z.enum(IMPORT_SKIP_REASONS);
export type ImportSkipReason = z.infer<typeof ImportSkipReasonSchema>;

/** How many lines were skipped for each reason; reasons that did not occur are absent. Example: `{"HEADER":1,"TOTAL":2}`. */
export const SkippedByReasonSchema = z.partialRecord(
  ImportSkipReasonSchema,
  z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)),
);
export type SkippedByReason = z.infer<typeof SkippedByReasonSchema>;

/** One problem of one row; `row` is the 1-based line (or record) number, 0 for the file as a whole. */
export const ImportErrorSchema = z.strictObject({ row: z.number(), field: z.string(), message: z.string() });
export type ImportError = z.infer<typeof ImportErrorSchema>;

/**
 * An import as the API returns it. `rows` = data rows read, `imported` = trades booked, `duplicates` =
 * trades already booked by an earlier import (fingerprints), `skipped` = lines that are not trades
 * (headers, sub-totals, …), and `skippedByReason` says why. Example: `{"importId":"01J…","portfolioId":"01J…","format":"generic-csv",
 * "dryRun":false,"status":"SUCCEEDED","rows":3,"imported":2,"duplicates":1,"skipped":1,"skippedByReason":{"HEADER":1},"errors":[],
 * "progress":{"rowsRead":3},"createdAt":"2026-03-02T10:00:00.000Z","updatedAt":"2026-03-02T10:00:01.000Z"}`.
 */
export const ImportSchema = z.strictObject({
  importId: IdSchema,
  portfolioId: IdSchema,
  format: ImportFormatSchema,
  dryRun: z.boolean(),
  status: ImportStatusSchema,
  rows: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  skipped: z.number(),
  /** `skipped` broken down by reason (see IMPORT_SKIP_REASONS). */
  skippedByReason: z.optional(SkippedByReasonSchema),
  /**
   * Dry runs only, once finished: the trades that would be booked (a dry run books none, so `imported` stays 0);
   * `rows` = wouldImport + duplicates when the file has no errors.
   */
  wouldImport: z.optional(z.number()),
  errors: z.array(ImportErrorSchema),
  progress: z.strictObject({ rowsRead: z.number() }),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  uploadUrl: z.optional(z.string()),
});
export type Import = z.infer<typeof ImportSchema>;

export const ImportPathSchema = z.strictObject({ portfolioId: IdSchema, importId: IdSchema });

/** A generic-csv column mapping saved on a portfolio for reuse. */
export const SavedMappingSchema = z.strictObject({
  name: MappingNameSchema,
  mapping: GenericCsvMappingSchema,
  updatedAt: TimestampSchema,
});
export type SavedMapping = z.infer<typeof SavedMappingSchema>;

export const ImportMappingPathSchema = z.strictObject({ portfolioId: IdSchema, name: MappingNameSchema });
