import { divmod, remainder } from './divmod';

/**
 * Fixed-point decimals for the engine's hot path: a bigint holding value × 10^12. Every input the contract
 * accepts (DECIMAL_PATTERN: at most 12 decimal places) converts exactly; products and quotients round once,
 * half-even, back to 12 places. Strings appear only at the boundary, in trade-model's canonical form
 * (`canonicalDecimal`: no exponent, trailing zeros dropped, never "-0"). big.js (trade-model `decimal`) costs
 * ~1–3 µs per operation; a bigint add or multiply costs tens of nanoseconds.
 */
export type Scaled = bigint;

export const SCALE_DIGITS = 12;
export const ONE: Scaled = 10n ** 12n;
const ONE_SQUARED = ONE * ONE;
const ZEROS = '000000000000';
const POWERS: readonly bigint[] = Array.from(
  { length: SCALE_DIGITS + 1 },
  (_, exponent) => 10n ** BigInt(exponent),
);
const DOUBLE_POWERS: readonly number[] = Array.from(
  { length: SCALE_DIGITS + 1 },
  (_, exponent) => 10 ** exponent,
);
// Below 2^53 a digit string accumulates exactly in a double; 15 digits always fit.
const EXACT_DOUBLE_DIGITS = 15;

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
  constructor(readonly value: string) {
    super(`"${value.slice(0, 40)}" is not a decimal with at most ${SCALE_DIGITS} decimal places`);
  }
}

/** "190.50" -> 190_500_000_000_000n. Throws DecimalFormatError on anything but an optional minus, digits, one point. */
export const toScaled = (text: string): Scaled => {
  const value = parseScaled(text);
  return typeof value === 'number' ? BigInt(value) : value;
};

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * toScaled as a number while the scaled value is a safe integer, else a bigint (hybrid.ts's canonical form):
 * the engine's parse, which allocates nothing for an everyday price or quantity.
 */
export const parseScaled = (text: string): number | bigint => {
  const length = text.length;
  let index = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    index = 1;
  }
  let accumulated = 0;
  let digits = 0;
  let fraction = -1;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46) {
      if (fraction >= 0 || digits === 0) throw new DecimalFormatError(text);
      fraction = 0;
      continue;
    }
    const digit = code - 48;
    if (digit < 0 || digit > 9) throw new DecimalFormatError(text);
    accumulated = accumulated * 10 + digit;
    digits++;
    if (fraction >= 0) fraction++;
  }
  if (digits === 0 || fraction === 0 || fraction > SCALE_DIGITS) throw new DecimalFormatError(text);
  const places = Math.max(fraction, 0);
  if (digits <= EXACT_DOUBLE_DIGITS) {
    const scaled = accumulated * (DOUBLE_POWERS[SCALE_DIGITS - places] as number);
    // An integer product below 2^53 is exact in a double (and a true product at or above it rounds to >= 2^53).
    if (scaled <= Number.MAX_SAFE_INTEGER) return negative ? (scaled === 0 ? 0 : -scaled) : scaled;
    const value = BigInt(accumulated) * (POWERS[SCALE_DIGITS - places] as bigint);
    return negative ? -value : value;
  }
  const value = BigInt(text.replace('-', '').replace('.', '')) * (POWERS[SCALE_DIGITS - places] as bigint);
  if (value <= MAX_SAFE_BIG) return negative ? (value === 0n ? 0 : -Number(value)) : Number(value);
  return negative ? -value : value;
};

/** 190_500_000_000_000n -> "190.5" (canonical: no trailing zeros, never "-0"); a safe-integer number too. */
export const fromScaled = (value: Scaled | number): string =>
  typeof value === 'number' ? fromSafeInteger(value) : fromBigScaled(value);

const UNIT = 1e12;
/** "0000" … "9999": the 12 places are three groups of 4 digits, each a small integer (no double-to-string). */
const GROUPS: readonly string[] = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));
/** The same groups without their trailing zeros (the last group written; "" for 0, never used). */
const LAST_GROUPS: readonly string[] = GROUPS.map((group) => group.replace(/0+$/, ''));

/**
 * fromScaled of a safe integer: the quotient and remainders by powers of ten are exact for |value| < 2^53, so
 * no bigint; the fraction is written as 4-digit groups from tables, the last one without trailing zeros.
 */
const fromSafeInteger = (value: number): string => {
  const whole = divmod(value < 0 ? -value : value, UNIT);
  const fraction = remainder;
  const head = value < 0 ? `-${whole}` : String(whole);
  if (fraction === 0) return whole === 0 ? '0' : head;
  const first = divmod(fraction, 1e8);
  const second = divmod(remainder, 1e4);
  const third = remainder;
  if (third !== 0)
    return `${head}.${GROUPS[first] as string}${GROUPS[second] as string}${LAST_GROUPS[third] as string}`;
  if (second !== 0) return `${head}.${GROUPS[first] as string}${LAST_GROUPS[second] as string}`;
  return `${head}.${LAST_GROUPS[first] as string}`;
};

const fromBigScaled = (value: Scaled): string => {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (digits.length <= SCALE_DIGITS) digits = ZEROS.slice(0, SCALE_DIGITS + 1 - digits.length) + digits;
  const split = digits.length - SCALE_DIGITS;
  let end = digits.length;
  while (end > split && digits.charCodeAt(end - 1) === 48) end--;
  const text =
    end === split ? digits.slice(0, split) : `${digits.slice(0, split)}.${digits.slice(split, end)}`;
  return negative ? `-${text}` : text;
};

/** numerator / denominator rounded half-even to an integer (denominator != 0). */
export const divideRounded = (numerator: bigint, denominator: bigint): bigint => {
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const remainder = n % d;
  const quotient = n / d;
  if (remainder === 0n) return quotient;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice > d || (twice === d && (quotient & 1n) !== 0n)) return n < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
};

/** a × b, rounded once. */
export const multiply = (a: Scaled, b: Scaled): Scaled => divideRounded(a * b, ONE);

/** a × b × c (quantity × price × multiplier), rounded once. */
export const multiply3 = (a: Scaled, b: Scaled, c: Scaled): Scaled =>
  c === ONE ? divideRounded(a * b, ONE) : divideRounded(a * b * c, ONE_SQUARED);

/** a / b, rounded once (b != 0). */
export const divide = (a: Scaled, b: Scaled): Scaled => divideRounded(a * ONE, b);

/** total × part / whole: a pro-rata share, rounded once (whole != 0). */
export const prorate = (total: Scaled, part: Scaled, whole: Scaled): Scaled =>
  part === whole ? total : part === 0n || total === 0n ? 0n : divideRounded(total * part, whole);

export const abs = (value: Scaled): Scaled => (value < 0n ? -value : value);
export const min = (a: Scaled, b: Scaled): Scaled => (a < b ? a : b);
