import type { DatasetColumn } from '@kupala/trade-model';

/**
 * The built-in market-universe dataset: features of each symbol's daily closes, sampled at month ends.
 *
 * Features are ratios computed in binary floating point (IEEE doubles): they are model inputs, never stored
 * amounts, and a double's ~15 significant digits are far finer than the 10 decimal places written to the CSV.
 * Windows count closes (trading days of the series), not calendar days. Conventions follow packages/performance
 * (sample standard deviation × √252; drawdown as the most negative value / running peak − 1).
 */

/** One symbol's daily closes, oldest first, one per date. */
export interface ClosesSeries {
  symbol: string;
  dates: readonly string[];
  closes: readonly number[];
}

const TRADING_DAYS_PER_YEAR = 252;
/** Closes a row needs before its date (the longest look-back) and after it (the target). */
export const LOOKBACK_CLOSES = 252;
export const FORWARD_CLOSES = 21;
/** Closes a series needs for at least one row: 252 back, the date itself, 21 ahead. */
export const MIN_CLOSES_FOR_A_ROW = LOOKBACK_CLOSES + 1 + FORWARD_CLOSES;

export const UNIVERSE_COLUMNS: readonly DatasetColumn[] = [
  { name: 'symbol', type: 'string' },
  { name: 'date', type: 'date' },
  { name: 'ret_5d', type: 'number' },
  { name: 'ret_21d', type: 'number' },
  { name: 'ret_63d', type: 'number' },
  { name: 'ret_252d', type: 'number' },
  { name: 'vol_21d', type: 'number' },
  { name: 'vol_63d', type: 'number' },
  { name: 'maxdd_252d', type: 'number' },
  { name: 'mom_12_1', type: 'number' },
  { name: 'fwd_ret_21d', type: 'number' },
];

const at = (closes: readonly number[], index: number): number => {
  const close = closes[index];
  if (close === undefined) throw new RangeError(`no close at ${index}`);
  return close;
};

/** Simple return over the `window` closes up to `index`: c[i] / c[i − n] − 1. */
export const trailingReturn = (closes: readonly number[], index: number, window: number): number =>
  at(closes, index) / at(closes, index - window) - 1;

/** Simple return over the `window` closes after `index`: c[i + n] / c[i] − 1. */
export const forwardReturn = (closes: readonly number[], index: number, window: number): number =>
  at(closes, index + window) / at(closes, index) - 1;

/** Return from `from` closes back to `to` closes back (12-1 momentum: from 252 to 21, skipping the last month). */
export const momentum = (closes: readonly number[], index: number, from: number, to: number): number =>
  at(closes, index - to) / at(closes, index - from) - 1;

/**
 * Annualised volatility of the `window` daily returns ending at `index`: sample standard deviation (n − 1) of
 * r_k = c[k] / c[k − 1] − 1 for k in (i − n, i], times √252.
 */
export const annualisedVolatility = (closes: readonly number[], index: number, window: number): number => {
  let sum = 0;
  const returns: number[] = [];
  for (let k = index - window + 1; k <= index; k += 1) {
    const daily = at(closes, k) / at(closes, k - 1) - 1;
    returns.push(daily);
    sum += daily;
  }
  const mean = sum / window;
  const squares = returns.reduce((total, daily) => total + (daily - mean) ** 2, 0);
  return Math.sqrt(squares / (window - 1)) * Math.sqrt(TRADING_DAYS_PER_YEAR);
};

/** Most negative c[k] / max(c[i − n..k]) − 1 over the closes c[i − n..i]; 0 when the series never fell. */
export const maxDrawdown = (closes: readonly number[], index: number, window: number): number => {
  let peak = at(closes, index - window);
  let worst = 0;
  for (let k = index - window + 1; k <= index; k += 1) {
    const close = at(closes, k);
    if (close > peak) peak = close;
    else worst = Math.min(worst, close / peak - 1);
  }
  return worst;
};

/** Month ends of a series: indexes whose next close falls in another month (the series' last close is not one). */
export const monthEndIndexes = (dates: readonly string[]): number[] => {
  const ends: number[] = [];
  for (let index = 0; index + 1 < dates.length; index += 1) {
    if (dates[index]?.slice(0, 7) !== dates[index + 1]?.slice(0, 7)) ends.push(index);
  }
  return ends;
};

/** A figure as a CSV cell: 10 decimal places without trailing zeros, never exponent notation or "-0". */
export const featureCell = (value: number): string => {
  const text = value.toFixed(10).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
};

/** The rows of one symbol: one per month end with 252 closes before it and 21 after, in date order. */
export const universeRowsOf = (series: ClosesSeries): string[][] =>
  monthEndIndexes(series.dates)
    .filter((index) => index >= LOOKBACK_CLOSES && index + FORWARD_CLOSES < series.closes.length)
    .map((index) => {
      const { closes } = series;
      return [
        series.symbol,
        series.dates[index] ?? '',
        ...[
          trailingReturn(closes, index, 5),
          trailingReturn(closes, index, 21),
          trailingReturn(closes, index, 63),
          trailingReturn(closes, index, 252),
          annualisedVolatility(closes, index, 21),
          annualisedVolatility(closes, index, 63),
          maxDrawdown(closes, index, 252),
          momentum(closes, index, 252, 21),
          forwardReturn(closes, index, FORWARD_CLOSES),
        ].map(featureCell),
      ];
    });
