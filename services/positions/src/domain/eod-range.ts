import { EOD_RANGE_MESSAGE, MAX_EOD_RANGE_DAYS, ValidationError } from '@kupala/trade-model';
import { businessDayOnOrBefore, daysBetween } from './eod';

const shift = (date: string, days: number): string => {
  const moment = new Date(`${date}T00:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
};

/** The calendar day before `date`. */
export const dayBefore = (date: string): string => shift(date, -1);

/** The last business day on or before `now` (UTC): the default day of an EOD build. */
export const lastBusinessDay = (now: Date): string => businessDayOnOrBefore(now.toISOString().slice(0, 10));

/**
 * A requested range with its defaults: `to` defaults to `defaultTo`, `from` to `defaultFrom(to)`; a range
 * longer than MAX_EOD_RANGE_DAYS or backwards is a 400 stating the documented rule.
 */
export const resolveRange = (
  requested: { from?: string | undefined; to?: string | undefined },
  defaultTo: string,
  defaultFrom: (to: string) => string,
  where: 'query' | 'body',
): { from: string; to: string } => {
  const to = requested.to ?? defaultTo;
  const from = requested.from ?? defaultFrom(to);
  if (from > to)
    throw new ValidationError('Request is invalid', [
      { path: `${where}.to`, message: 'must not be before from' },
    ]);
  if (daysBetween(from, to) >= MAX_EOD_RANGE_DAYS)
    throw new ValidationError('Request is invalid', [{ path: `${where}.from`, message: EOD_RANGE_MESSAGE }]);
  return { from, to };
};

/** The default start of a read: the longest range ending at `to`. */
export const longestRangeEndingAt = (to: string): string => shift(to, -(MAX_EOD_RANGE_DAYS - 1));
