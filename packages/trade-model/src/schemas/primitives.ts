import { DECIMAL_PATTERN, Decimal } from '../decimal';
import * as z from '../zod';
import { documentedAs, documentedWith } from './json-schema';

const ISO_CURRENCY_CODES = Intl.supportedValuesOf('currency');
const ISO_CURRENCIES = new Set(ISO_CURRENCY_CODES);
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2100-12-31';

const isCalendarDate = (value: string): boolean => {
  if (!DATE_PATTERN.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

/** An ISO-4217 currency code in upper case, e.g. "USD". */
export const CurrencySchema = documentedAs(
  z.string().check(
    z.regex(/^[A-Z]{3}$/, {
      message: 'must be a three-letter ISO-4217 code in upper case, e.g. "USD"',
      abort: true,
    }),
    z.refine((code) => ISO_CURRENCIES.has(code), 'is not an ISO-4217 currency code'),
  ),
  {
    type: 'string',
    enum: ISO_CURRENCY_CODES,
    description: 'An ISO-4217 currency code in upper case, e.g. "USD"',
  },
);

/**
 * Exactly the calendar dates from 1900-01-01 to 2100-12-31 (29 February only in leap years: 2000, not 1900 or
 * 2100), as one pattern, so that the OpenAPI document states the very rule the checks below enforce.
 */
export const CALENDAR_DATE_PATTERN =
  '^(?:(?:19\\d\\d|20\\d\\d|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))|(?:(?:19|20)(?:0[48]|[2468][048]|[13579][26])|2000)-02-29)$';

/** A calendar date `YYYY-MM-DD` between 1900-01-01 and 2100-12-31. */
export const IsoDateSchema = documentedAs(
  z.string().check(
    z.refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD'),
    z.refine(
      (value) => value >= EARLIEST_DATE && value <= LATEST_DATE,
      `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`,
    ),
  ),
  {
    type: 'string',
    format: 'date',
    minLength: 10,
    maxLength: 10,
    pattern: CALENDAR_DATE_PATTERN,
    description: `A real calendar date YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE} (2026-02-30 is refused)`,
  },
);

/** The check of every list with a date range: `from` must not be after `to` (either may be left out). */
export const fromNotAfterTo = <T extends { from?: string | undefined; to?: string | undefined }>() =>
  z.refine<T>((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'must not be before from',
    path: ['to'],
  });

/**
 * The query of a list with a date range: a strict object whose `to` must not be before `from`, stated in the
 * document (the rule shows in the operation's description).
 */
export const dateRangeQuery = <T extends { from: unknown; to: unknown } & z.core.$ZodLooseShape>(shape: T) =>
  documentedWith(z.strictObject(shape).check(fromNotAfterTo()), {
    description: 'Range rule (400 at `to`): to must not be before from.',
  });

/** An ISO-8601 UTC timestamp. */
export const TimestampSchema = z.iso.datetime();

/** The wire decimals the document states: no exponent, at most 20 integer digits and 12 decimal places. */
export const POSITIVE_DECIMAL_PATTERN =
  '^(?:[1-9]\\d{0,19}(?:\\.\\d{1,12})?|0\\.(?=\\d{0,11}[1-9])\\d{1,12})$';
// "-0" (and "-0.00") is zero, which is not negative
export const NON_NEGATIVE_DECIMAL_PATTERN = '^(?:-?0(?:\\.0{1,12})?|(?:0|[1-9]\\d{0,19})(?:\\.\\d{1,12})?)$';

const decimalString = (
  message: string,
  accept: (value: Decimal) => boolean,
  documented: { pattern: string; description: string },
) =>
  documentedAs(
    z.string().check(
      z.maxLength(40),
      z.regex(DECIMAL_PATTERN, 'must be a decimal string such as "1234.56" (at most 12 decimal places)'),
      z.refine((value) => !DECIMAL_PATTERN.test(value) || accept(new Decimal(value)), message),
    ),
    { type: 'string', minLength: 1, maxLength: 40, ...documented },
  );

/** Any exact decimal as a string, e.g. "-12.5". */
export const DecimalSchema = decimalString('must be a decimal', () => true, {
  pattern: DECIMAL_PATTERN.source,
  description: 'An exact decimal as a string, e.g. "-12.5" (no exponent, at most 12 decimal places)',
});
/** A decimal string > 0. */
export const PositiveDecimalSchema = decimalString('must be greater than 0', (value) => value.gt(0), {
  pattern: POSITIVE_DECIMAL_PATTERN,
  description:
    'A decimal greater than 0 as a string, e.g. "190.50" (no sign, no exponent, at most 12 decimal places)',
});
/** A decimal string >= 0. */
export const NonNegativeDecimalSchema = decimalString('must not be negative', (value) => value.gte(0), {
  pattern: NON_NEGATIVE_DECIMAL_PATTERN,
  description: 'A decimal of 0 or more as a string, e.g. "1.00" (no exponent, at most 12 decimal places)',
});

/** Sortable unique ids (ULID). */
export const IdSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a valid id'));

// Tab, line feed and carriage return are allowed in notes; other C0 controls are not.
export const hasControlCharacters = (value: string): boolean =>
  [...value].some((character) => {
    const code = character.charCodeAt(0);
    return code < 32 && code !== 9 && code !== 10 && code !== 13;
  });

/** Free text: at least one non-blank character, no control character other than tab, line feed, carriage return. */
export const TEXT_PATTERN =
  '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*[^\\s\\u0000-\\u001F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$';

/** Free text with a bound in characters (code points, as JSON Schema counts them), trimmed content required. */
export const boundedText = (max: number) =>
  documentedAs(
    z.string().check(
      z.refine((value) => [...value].length <= max, `must be at most ${max} characters`),
      z.refine((value) => value.trim().length > 0, 'must not be blank'),
      z.refine((value) => !hasControlCharacters(value), 'must not contain control characters'),
    ),
    {
      type: 'string',
      minLength: 1,
      maxLength: max,
      pattern: TEXT_PATTERN,
      description: `Text of 1 to ${max} characters, not blank, without control characters (tab, line feed and carriage return are allowed)`,
    },
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
