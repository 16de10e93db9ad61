import BigConstructor from 'big.js';

/**
 * Exact decimal arithmetic for every quantity, price and amount. A private big.js constructor so that
 * no other library can change its precision or rounding.
 */
export const Decimal = BigConstructor();
Decimal.DP = 20; // division keeps 20 decimal places (the contract needs at least 8)
Decimal.RM = Decimal.roundHalfEven;
Decimal.NE = -30;
Decimal.PE = 40; // never switch to exponential notation in the range we store

export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = string | Decimal;

/** The wire and storage form of an exact decimal: optional minus, no exponent, no leading zeros. */
export const DECIMAL_PATTERN = /^-?(0|[1-9]\d{0,19})(\.\d{1,12})?$/;

export const decimal = (value: DecimalInput): Decimal =>
  typeof value === 'string' ? new Decimal(value) : value;

/**
 * The decimal a wire string holds, or undefined when it is not one. For cross-field rules: zod runs them
 * even when a field already failed its own pattern, and `decimal('')` throws.
 */
export const decimalOrUndefined = (value: unknown): Decimal | undefined =>
  typeof value === 'string' && DECIMAL_PATTERN.test(value) ? new Decimal(value) : undefined;

/** Canonical string: trailing zeros dropped ("200.00" -> "200"), "-0" -> "0". */
export const canonicalDecimal = (value: DecimalInput): string => {
  const text = decimal(value).toFixed();
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
};

/** Fixed number of places, half-even, for presentation of money in a response. */
export const formatDecimal = (value: DecimalInput, places: number): string => decimal(value).toFixed(places);

export const sumDecimals = (values: readonly DecimalInput[]): Decimal =>
  values.reduce<Decimal>((total, value) => total.plus(decimal(value)), new Decimal(0));
