import { canonicalDecimal } from '@kupala/trade-model';
import { divide, PLACES, SCALE, toScaled, toText } from './fixed-point';

/**
 * One day of a portfolio's end-of-day series, in its base currency: `netLiquidation` V_t at the day's
 * close and `externalFlow` F_t, the day's deposits (+) and withdrawals (−), taken at the START of day t.
 */
export interface DailyValue {
  date: string;
  netLiquidation: string;
  externalFlow: string;
}

/** The return of one day (a decimal string), or why the day has none. */
export type DailyReturn =
  | { date: string; value: string }
  | { date: string; value: null; reason: 'NO_CAPITAL' | 'FIRST_DAY' };
type ScaledReturn =
  | { date: string; value: bigint }
  | { date: string; value: null; reason: 'NO_CAPITAL' | 'FIRST_DAY' };

/**
 * Decimal places kept for returns and every figure derived from them (half-even, exact scaled integers, see
 * fixed-point.ts). Returns are ratios, not stored amounts: rounding each day's return and each product to
 * 20 places keeps 10 years of daily linking exact to far below the 10 places a figure is shown with.
 */
export const RETURN_PLACES = PLACES;
/** Places of a figure on the wire. */
export const FIGURE_PLACES = 10;

export class InvalidSeriesError extends Error {
  override readonly name = 'InvalidSeriesError';
}

/** Checks the series is in strictly increasing date order (one value per date). */
export const assertSeries = (series: readonly DailyValue[]): void => {
  for (let index = 1; index < series.length; index += 1) {
    const previous = series[index - 1];
    const current = series[index];
    if (previous !== undefined && current !== undefined && current.date <= previous.date) {
      throw new InvalidSeriesError(
        `series must be in increasing date order, one value per date: ${current.date} follows ${previous.date}`,
      );
    }
  }
};

/**
 * Daily returns r_t = V_t / (V_{t−1} + F_t) − 1 (the binding convention: flows at the start of the day).
 * The first day of the series has no return (it is the starting value). A day whose capital at the start,
 * V_{t−1} + F_t, is zero or negative has no return (`NO_CAPITAL`): nothing was invested that day, e.g.
 * after a withdrawal of everything or before the first deposit, so no figure such as −100% is invented.
 */
export const scaledDailyReturns = (series: readonly DailyValue[]): ScaledReturn[] => {
  assertSeries(series);
  let previous: bigint | undefined;
  return series.map((day): ScaledReturn => {
    const value = toScaled(day.netLiquidation);
    const before = previous;
    previous = value;
    if (before === undefined) return { date: day.date, value: null, reason: 'FIRST_DAY' };
    const capital = before + toScaled(day.externalFlow);
    if (capital <= 0n) return { date: day.date, value: null, reason: 'NO_CAPITAL' };
    return { date: day.date, value: divide(value, capital) - SCALE };
  });
};

export const dailyReturns = (series: readonly DailyValue[]): DailyReturn[] =>
  scaledDailyReturns(series).map((day) =>
    day.value === null ? day : { date: day.date, value: canonicalDecimal(toText(day.value, PLACES)) },
  );

/** Figure as it travels: 10 places, half-even, never "-0". */
export const figure = (value: bigint): string => toText(value, FIGURE_PLACES);
