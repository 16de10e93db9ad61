import type { SkippedByReason, TradeInput } from '@kupala/trade-model';
import type { ImportRow, RowError } from './types';

/** A trade ready to book, with the row it came from. */
export interface ImportedTrade {
  row: number;
  trade: TradeInput;
  fingerprint: string;
}

export interface WholeFileReport {
  /** True when the file may be imported: no file error and no row error. */
  ok: boolean;
  /** Data rows seen: trades plus rows with errors (skipped lines not counted). */
  rows: number;
  trades: number;
  skipped: number;
  /** `skipped` by reason. */
  skippedByReason: SkippedByReason;
  /** Number of rows with errors (all of them, even beyond `maxErrors`). */
  rowsWithErrors: number;
  /** The first `maxErrors` errors, in file order; a file error is always first and alone. */
  errors: RowError[];
  fileError: boolean;
  /** The trades, when asked for with `collect` (small files); else empty. */
  items: ImportedTrade[];
}

export interface WholeFileOptions {
  maxErrors?: number;
  /** Keep the trades in memory (inline content); large uploads validate first and stream a second pass. */
  collect?: boolean;
  /** Called every `progressEvery` data rows, for progress on the import resource. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/**
 * The all-or-nothing gate: reads every row of a parse (rows or batches of rows) and says whether the
 * file can be imported as a whole. A file error (row 0) makes the whole file fail and replaces any row errors, which would only
 * describe a misreading. The caller books nothing unless `ok`; for a large file it then parses again and
 * books that second stream, so the file is never held in memory.
 */
export const validateWholeFile = async (
  rows: AsyncIterable<ImportRow> | AsyncIterable<ImportRow[]>,
  options: WholeFileOptions = {},
): Promise<WholeFileReport> => {
  const maxErrors = options.maxErrors ?? 1000;
  const progressEvery = options.progressEvery ?? 1000;
  const report: WholeFileReport = {
    ok: false,
    rows: 0,
    trades: 0,
    skipped: 0,
    skippedByReason: {},
    rowsWithErrors: 0,
    errors: [],
    fileError: false,
    items: [],
  };
  const take = (result: ImportRow): boolean => {
    if (result.row === 0 && result.errors.length > 0) {
      report.fileError = true;
      report.errors = result.errors.slice(0, 1);
      report.items = [];
      return false;
    }
    if (result.skipped !== undefined) {
      report.skipped++;
      report.skippedByReason[result.skipped] = (report.skippedByReason[result.skipped] ?? 0) + 1;
      return true;
    }
    report.rows++;
    if (result.errors.length > 0) {
      report.rowsWithErrors++;
      for (const error of result.errors) if (report.errors.length < maxErrors) report.errors.push(error);
    } else if (result.trade !== undefined && result.fingerprint !== undefined) {
      report.trades++;
      if (options.collect === true) {
        report.items.push({ row: result.row, trade: result.trade, fingerprint: result.fingerprint });
      }
    }
    if (options.onProgress !== undefined && report.rows % progressEvery === 0)
      options.onProgress(report.rows);
    return true;
  };
  read: for await (const item of rows) {
    for (const result of Array.isArray(item) ? item : [item]) if (!take(result)) break read;
  }
  report.ok = !report.fileError && report.rowsWithErrors === 0;
  return report;
};
