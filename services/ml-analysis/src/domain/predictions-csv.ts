import type { Predictions } from '@kupala/trade-model';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed; text a spreadsheet would run as a formula is prefixed with a quote. */
const csvCell = (value: string | number | undefined): string => {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Predictions as CSV: row, actual, predicted, cvPredicted, probability. */
export const predictionsCsv = (rows: Predictions['predictions']): string =>
  [
    'row,actual,predicted,cvPredicted,probability',
    ...rows.map((row) =>
      [row.row, row.actual, row.predicted, row.cvPredicted, row.probability].map(csvCell).join(','),
    ),
  ].join('\n') + '\n';
