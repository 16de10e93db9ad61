import { quoteInput, TradeInputSchema, type z } from '@kupala/trade-model';
import { parseFidelityCsv } from './fidelity-csv';
import { Fingerprinter } from './fingerprint';
import { parseGenericCsv } from './generic-csv';
import { parseIbkrActivityCsv } from './ibkr-activity-csv';
import { parseIbkrFlexCsv } from './ibkr-flex-csv';
import { parseIbkrFlexXml } from './ibkr-flex-xml';
import { parseKupalaJson } from './kupala-json';
import { RefundNetting } from './netting';
import { parseSchwabCsv } from './schwab-csv';
import {
  type BrokerFileInput,
  IMPORT_FORMATS,
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  type ParsedRow,
  type ParseOptions,
  type RowError,
} from './types';

/** Data rows (trades and row errors, not skipped lines) a file may have unless `maxRows` says otherwise. */
export const DEFAULT_MAX_ROWS = 1_000_000;
// Small batches keep few rows alive at once, so short-lived rows die young instead of being promoted.
const MAX_BATCH = 256;

// Parsers hand over rows in batches (one per chunk read): one promise per batch, not per row.
type FormatParser = (input: BrokerFileInput, options: ParseOptions) => AsyncIterable<ParsedRow[]>;

const PARSERS: Record<ImportFormat, FormatParser> = {
  'generic-csv': parseGenericCsv,
  'ibkr-flex-xml': parseIbkrFlexXml,
  'ibkr-flex-csv': parseIbkrFlexCsv,
  'ibkr-activity-csv': parseIbkrActivityCsv,
  'schwab-csv': parseSchwabCsv,
  'fidelity-csv': parseFidelityCsv,
  'kupala-json': parseKupalaJson,
};

export const isImportFormat = (value: string): value is ImportFormat =>
  (IMPORT_FORMATS as readonly string[]).includes(value);

/** The result of a file that is not in its announced format: one row 0 error, nothing else to import. */
export const fileErrorRow = (message: string): ImportRow => ({
  row: 0,
  errors: [{ row: 0, field: 'file', message }],
});

const valueAt = (candidate: Record<string, unknown>, path: readonly PropertyKey[]): unknown => {
  let value: unknown = candidate;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
};

const issueToError = (row: number, candidate: Record<string, unknown>, issue: z.core.$ZodIssue): RowError => {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.map(String);
    return {
      row,
      field: [...prefix, quoteInput(issue.keys[0] ?? '')].join('.'),
      message: `is not a field of this trade type (${issue.keys.slice(0, 5).map(quoteInput).join(', ')})`,
    };
  }
  const field = issue.path.map(String).join('.') || 'type';
  const value = valueAt(candidate, issue.path);
  if (value === undefined)
    return { row, field, message: issue.code === 'invalid_type' ? 'is required' : issue.message };
  const shown = typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}" ` : '';
  return { row, field, message: `${shown}${issue.message}` };
};

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

const settledRow = (parsed: ParsedRow, errors: RowError[]): ImportRow => {
  const result: ImportRow = { row: parsed.row, errors };
  if (parsed.line !== undefined) result.line = parsed.line;
  return result;
};

/**
 * Validates one parsed row with TradeInputSchema and fingerprints it. Conversion errors come first; schema
 * issues are added for the fields they did not already cover (a cell that could not be read is not also
 * reported as missing).
 */
const settle = (parsed: ParsedRow, fingerprints: Fingerprinter): ImportRow => {
  if (parsed.skipped !== undefined) {
    const result = settledRow(parsed, []);
    result.skipped = parsed.skipped;
    if (parsed.detail !== undefined) result.detail = parsed.detail;
    return result;
  }
  const candidate = parsed.candidate;
  if (candidate === undefined) return settledRow(parsed, parsed.errors);
  const checked = TradeInputSchema.safeParse(candidate);
  if (checked.success && parsed.errors.length === 0) {
    const fingerprint = fingerprints.take(checked.data, parsed.row);
    if (typeof fingerprint !== 'string') return settledRow(parsed, [fingerprint]);
    const result = settledRow(parsed, []);
    result.trade = checked.data;
    result.fingerprint = fingerprint;
    return result;
  }
  const errors = [...parsed.errors];
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const error = issueToError(parsed.row, candidate, issue);
      if (!errors.some((known) => overlaps(known.field, error.field))) errors.push(error);
    }
  }
  return settledRow(parsed, errors);
};

/**
 * `parseBrokerFile` in batches (one per chunk of input read): the same rows, one promise per batch
 * rather than per row. For callers that count or book rows in bulk (validateWholeFile, a batch writer).
 */
export async function* parseBrokerFileBatches(
  format: ImportFormat,
  input: BrokerFileInput,
  options: ParseOptions = {},
): AsyncGenerator<ImportRow[]> {
  const parser = PARSERS[format];
  if (parser === undefined) {
    yield [
      fileErrorRow(`unknown import format "${String(format)}"; expected one of ${IMPORT_FORMATS.join(', ')}`),
    ];
    return;
  }
  const fingerprints = new Fingerprinter();
  const netting = new RefundNetting();
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let dataRows = 0;
  const settleAll = function* (rows: ParsedRow[]): Generator<ImportRow[]> {
    let settled: ImportRow[] = [];
    for (const parsed of rows) {
      settled.push(settle(parsed, fingerprints));
      if (settled.length === MAX_BATCH) {
        yield settled;
        settled = [];
      }
    }
    if (settled.length > 0) yield settled;
  };
  try {
    for await (const batch of parser(input, options)) {
      const ready: ParsedRow[] = [];
      for (const parsed of batch) {
        if (parsed.skipped === undefined && ++dataRows > maxRows) {
          yield* settleAll(ready);
          throw new ImportFileError(`the file has more than ${maxRows} rows`);
        }
        ready.push(...netting.take(parsed));
      }
      yield* settleAll(ready);
    }
    yield* settleAll(netting.end());
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    yield [fileErrorRow(error.message)];
  }
}

/**
 * Parses a broker file into validated, fingerprinted trades, one `ImportRow` at a time, while the file
 * streams in: only the current chunk's records are held (IBKR activity statements hold back their
 * derivative rows to the end, see ibkr-activity-csv.ts; the fingerprinter keeps one short key per row).
 * Every trade has passed TradeInputSchema; a row that did not carries its errors (row, field, message).
 * A file that is not in the announced format ends the iteration with a row 0 error; rows yielded before
 * it must then be discarded by the caller — `validateWholeFile` is the all-or-nothing gate. Failures of
 * the input stream itself (a storage read error) are thrown, not reported as file errors.
 */
export async function* parseBrokerFile(
  format: ImportFormat,
  input: BrokerFileInput,
  options: ParseOptions = {},
): AsyncGenerator<ImportRow> {
  for await (const batch of parseBrokerFileBatches(format, input, options)) yield* batch;
}
