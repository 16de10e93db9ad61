import type { GenericDateFormat } from '@kupala/trade-model';
/** A date read from a file cell, as `YYYY-MM-DD`. */
export type DateText = { ok: true; date: string } | { ok: false; message: string };
export type DateReader = (raw: string) => DateText | undefined;

export { GENERIC_DATE_FORMATS, type GenericDateFormat } from '@kupala/trade-model';

// A time of day may follow the date ("2026-01-05, 10:31:02", "20260105;103102", "2026-01-05T10:31Z").
const TIME_TAIL = '(?:[T\\s,;].*)?$';
const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${TIME_TAIL}`);

const pad = (value: number, width: number) => String(value).padStart(width, '0');

const calendarDate = (year: number, month: number, day: number, format: string): DateText => {
  const lastDay = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (day < 1 || day > lastDay) return { ok: false, message: `is not a calendar date (expected ${format})` };
  return { ok: true, date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
};

type Part = 'Y' | 'M' | 'D';

interface Layout {
  pattern: RegExp;
  order: readonly Part[];
}

const ISO_LAYOUT: Layout = { pattern: ISO, order: ['Y', 'M', 'D'] };

const layoutOf = (format: GenericDateFormat): Layout => {
  if (format === 'YYYYMMDD') {
    return { pattern: new RegExp(`^(\\d{4})(\\d{2})(\\d{2})${TIME_TAIL}`), order: ['Y', 'M', 'D'] };
  }
  const separator = format.replace(/[YMD]/g, '')[0] ?? '-';
  const tokens = format.split(separator);
  const groups = tokens.map((token) => (token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})'));
  return {
    pattern: new RegExp(`^${groups.join(separator === '.' ? '\\.' : separator)}${TIME_TAIL}`),
    order: tokens.map((token): Part => (token === 'YYYY' ? 'Y' : token === 'MM' ? 'M' : 'D')),
  };
};

const readWith = (layout: Layout, format: string, raw: string): DateText | undefined => {
  const text = raw.trim();
  if (text === '') return undefined;
  let match = layout.pattern.exec(text);
  let order = layout.order;
  if (match === null) {
    match = ISO.exec(text);
    order = ISO_LAYOUT.order;
  }
  if (match === null) return { ok: false, message: `is not a date in the layout ${format}` };
  const parts = { Y: 0, M: 0, D: 0 };
  order.forEach((part, index) => {
    parts[part] = Number(match[index + 1]);
  });
  return calendarDate(parts.Y, parts.M, parts.D, format);
};

/** A reader for one of the generic-csv layouts; `YYYY-MM-DD` is always accepted too (unambiguous). */
export const dateReader = (format: GenericDateFormat): DateReader => {
  const layout = layoutOf(format);
  return (raw) => readWith(layout, format, raw);
};

/** US dates as Schwab and Fidelity write them: `MM/DD/YYYY`. */
export const readUsDate: DateReader = dateReader('MM/DD/YYYY');

const IBKR_COMPACT: Layout = {
  pattern: new RegExp(`^(\\d{4})(\\d{2})(\\d{2})${TIME_TAIL}`),
  order: ['Y', 'M', 'D'],
};
const IBKR_US: Layout = {
  pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME_TAIL}`),
  order: ['M', 'D', 'Y'],
};

/**
 * IBKR dates and date-times in the layouts a Flex query or statement can be set to: `20260105`,
 * `20260105;103102`, `2026-01-05`, `2026-01-05, 10:31:02`, `01/05/2026` (MM/dd/yyyy). The day-first
 * layouts IBKR also offers are ambiguous with that one and are not accepted.
 */
export const readIbkrDate: DateReader = (raw) => {
  const text = raw.trim();
  if (text === '') return undefined;
  if (IBKR_COMPACT.pattern.test(text)) return readWith(IBKR_COMPACT, 'yyyyMMdd', text);
  if (IBKR_US.pattern.test(text)) return readWith(IBKR_US, 'MM/dd/yyyy', text);
  return readWith(ISO_LAYOUT, 'yyyy-MM-dd', text);
};
