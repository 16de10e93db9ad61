import { DECIMAL_PATTERN, Decimal } from '../decimal';
import * as z from '../zod';

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2100-12-31';

const isCalendarDate = (value: string): boolean => {
  if (!DATE_PATTERN.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** An ISO-4217 currency code in upper case, e.g. "USD". */
export const CurrencySchema = z.string().check(
  z.regex(/^[A-Z]{3}$/, {
    message: 'must be a three-letter ISO-4217 code in upper case, e.g. "USD"',
    abort: true,
  }),
  z.refine((code) => ISO_CURRENCIES.has(code), 'is not an ISO-4217 currency code'),
);

/** A calendar date `YYYY-MM-DD` between 1900-01-01 and 2100-12-31. */
export const IsoDateSchema = z.string().check(
  z.refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD'),
  z.refine(
    (value) => value >= EARLIEST_DATE && value <= LATEST_DATE,
    `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`,
  ),
);

/** The check of every list with a date range: `from` must not be after `to` (either may be left out). */
export const fromNotAfterTo = <T extends { from?: string | undefined; to?: string | undefined }>() =>
  z.refine<T>((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'must not be before from',
    path: ['to'],
  });

/** An ISO-8601 UTC timestamp. */
export const TimestampSchema = z.iso.datetime();

const decimalString = (message: string, accept: (value: Decimal) => boolean) =>
  z.string().check(
    z.maxLength(40),
    z.regex(DECIMAL_PATTERN, 'must be a decimal string such as "1234.56" (at most 12 decimal places)'),
    z.refine((value) => !DECIMAL_PATTERN.test(value) || accept(new Decimal(value)), message),
  );

/** Any exact decimal as a string, e.g. "-12.5". */
export const DecimalSchema = decimalString('must be a decimal', () => true);
/** A decimal string > 0. */
export const PositiveDecimalSchema = decimalString('must be greater than 0', (value) => value.gt(0));
/** A decimal string >= 0. */
export const NonNegativeDecimalSchema = decimalString('must not be negative', (value) => value.gte(0));

/** Sortable unique ids (ULID). */
export const IdSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a valid id'));

// Tab, line feed and carriage return are allowed in notes; other C0 controls are not.
const hasControlCharacters = (value: string): boolean =>
  [...value].some((character) => {
    const code = character.charCodeAt(0);
    return code < 32 && code !== 9 && code !== 10 && code !== 13;
  });

/** Free text with a bound, trimmed content required. */
export const boundedText = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((value) => value.trim().length > 0, 'must not be blank'),
    z.refine((value) => !hasControlCharacters(value), 'must not contain control characters'),
  );

/** Inline file text (a dataset, a broker file): non-empty, at most `maxBytes` of UTF-8. */
export const inlineContent = (maxBytes: number) =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(maxBytes, `must be at most ${maxBytes} bytes (${maxBytes / (1024 * 1024)} MiB)`),
    z.refine(
      (content) => Buffer.byteLength(content, 'utf8') <= maxBytes,
      `must be at most ${maxBytes} bytes (${maxBytes / (1024 * 1024)} MiB) of UTF-8`,
    ),
  );
