import type { ClosedLotView } from '@kupala/trade-model';
import { type XlsxCell, xlsxWorkbook } from './xlsx';

export const REALIZED_COLUMNS = [
  'instrumentKey',
  'openDate',
  'closeDate',
  'holdingPeriod',
  'quantity',
  'proceeds',
  'cost',
  'gain',
  'currency',
  'proceedsBase',
  'costBase',
  'gainBase',
  'openTradeId',
  'closeTradeId',
] as const satisfies readonly (keyof ClosedLotView)[];

// RFC 4180 quoting; a leading = + - @ would make a spreadsheet evaluate the cell, so such text is quoted
// with a leading apostrophe (numbers stay numbers: only non-numeric text is guarded)
const cell = (value: string | null): string => {
  if (value === null) return '';
  const guarded = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
};

/** The realized report as CSV: a header row, then one row per closed lot (CRLF line ends). */
export const realizedCsv = (lots: readonly ClosedLotView[]): string =>
  [
    REALIZED_COLUMNS.join(','),
    ...lots.map((lot) => REALIZED_COLUMNS.map((column) => cell(lot[column])).join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');

const DECIMAL_COLUMNS: ReadonlySet<string> = new Set([
  'quantity',
  'proceeds',
  'cost',
  'gain',
  'proceedsBase',
  'costBase',
  'gainBase',
] satisfies (typeof REALIZED_COLUMNS)[number][]);

/**
 * The realized report as an .xlsx workbook (sheet "Realized"): the csv's header and columns; figures are
 * numeric cells whose stored text is the exact decimal, other columns text cells, a missing base figure empty.
 */
export const realizedXlsx = (lots: readonly ClosedLotView[]): Uint8Array =>
  xlsxWorkbook('Realized', [
    REALIZED_COLUMNS.map((column) => ({ text: column })),
    ...lots.map((lot) =>
      REALIZED_COLUMNS.map((column): XlsxCell => {
        const value = lot[column];
        if (value === null) return null;
        return DECIMAL_COLUMNS.has(column) ? { decimal: value } : { text: value };
      }),
    ),
  ]);
