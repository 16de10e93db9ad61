import type { ImportSkipReason, TradeInput } from '@kupala/trade-model';
import type { GenericCsvMapping } from './generic-csv-mapping';
import type { ExistingTradesOf } from './holdings';

export { IMPORT_FORMATS, type ImportFormat } from '@kupala/trade-model';

/** A file as it arrives: inline content (text or bytes), or the chunks of an upload streamed from storage. */
export type BrokerFileInput = AsyncIterable<string | Uint8Array> | string | Uint8Array;

/**
 * One problem of one row, as the import resource reports it. `row` 0 with field `file` is a file-level
 * error: the file is not in the announced format at all (wrong header, broken XML/JSON, …).
 */
export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** Why a row of the file produced no trade without being wrong (IMPORT_SKIP_REASONS). */
export type SkipReason = ImportSkipReason;

/**
 * One result of parsing. `row` is the 1-based line number of the row in the file (for a CSV record
 * spanning several lines: its first line). For `ibkr-flex-xml` and `kupala-json`, where a line number is
 * not an identity (a whole file may be one line), `row` is the 1-based ordinal of the record element in
 * the file (every Trade/Order/Lot/…Summary/CashTransaction element, resp. every element of `trades`)
 * and `line` tells where it is (XML: the line its start tag ends on; JSON: the line it starts on). One row may yield two results with the same `row`: a trade and the
 * separate FEE for a commission charged in another currency.
 */
export interface ImportRow {
  row: number;
  line?: number;
  /** The validated trade (`TradeInputSchema`); absent when the row has errors or is skipped. */
  trade?: TradeInput;
  /** Stable identity of the trade across imports (see fingerprint.ts). */
  fingerprint?: string;
  errors: RowError[];
  skipped?: SkipReason;
  /** Why the row was skipped, when the reason alone does not say it (e.g. an unsupported action). */
  detail?: string;
}

export interface ParseOptions {
  /** Column mapping; required for `generic-csv`, ignored otherwise. */
  mapping?: GenericCsvMapping;
  /**
   * The portfolio's base currency. IBKR commissions charged in it are converted to the trade currency at
   * the trade's `fxRateToBase`; generic-csv rows without any currency column take it.
   */
  baseCurrency?: string;
  /** A file with more data rows than this is rejected as a whole (file-level error). */
  maxRows?: number;
  /**
   * The portfolio's existing trades of a symbol, for the formats that derive a split's ratio from the
   * shares held (Schwab "Stock Split" gives the shares added). Without it only the file's own rows count.
   */
  existingTradesOf?: ExistingTradesOf;
}

/**
 * What a format parser hands to the dispatcher: a trade candidate not yet validated, the conversion
 * errors found while reading its cells, or a skip.
 */
export interface ParsedRow {
  row: number;
  line?: number;
  candidate?: Record<string, unknown>;
  errors: RowError[];
  skipped?: SkipReason;
  detail?: string;
  /**
   * The row refunds or reverses a charge: `candidate` has the type and positive amount of what it undoes
   * (a TAX for a withholding tax refund), and is netted with it (netting.ts), never booked on its own.
   */
  reverses?: true;
}

/** The file as a whole is not in the announced format; nothing of it may be imported. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  readonly line: number | undefined;

  constructor(message: string, options: { line?: number; cause?: unknown } = {}) {
    super(options.line === undefined ? message : `line ${options.line}: ${message}`, {
      cause: options.cause,
    });
    this.line = options.line;
  }
}
