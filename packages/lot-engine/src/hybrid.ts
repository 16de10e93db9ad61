import { divmod, remainder } from './divmod';
import { divideRounded, ONE, type Scaled } from './scaled';

/**
 * The engine's working figure: a scaled value (value × 10^12, see scaled.ts) held as a JS number while it is a
 * safe integer (|v| <= 2^53 − 1, where integer arithmetic on doubles is exact), else as a bigint. Always in
 * canonical form: a bigint only outside the safe range, so `===` compares two figures exactly, `<`/`>` compare
 * number and bigint exactly too, and zero is the number 0. Every operation checks its result and falls back to
 * bigint arithmetic (scaled.ts) when the number path would overflow or its division would not be exact; so
 * the results are the bigint path's, bit for bit (hybrid.test.ts proves it with random values near 2^53 and
 * far beyond). Why: a bigint is a heap object per operation; a safe integer is not.
 */
export type Hybrid = number | bigint;

const MAX = Number.MAX_SAFE_INTEGER;
const MAX_BIG = BigInt(MAX);
/** 10^12 as a number: the scale. */
export const UNIT = 1e12;

export const toBig = (value: Hybrid): bigint => (typeof value === 'number' ? BigInt(value) : value);

/** The canonical hybrid of a bigint. */
export const fromBig = (value: bigint): Hybrid =>
  value >= -MAX_BIG && value <= MAX_BIG ? Number(value) : value;

export const fromScaledBig = (value: Scaled): Hybrid => fromBig(value);

export const add = (a: Hybrid, b: Hybrid): Hybrid => {
  if (typeof a === 'number' && typeof b === 'number') {
    // Both safe: a true sum beyond ±MAX rounds to at least ±2^53, so the check never passes an inexact sum.
    const sum = a + b;
    if (sum <= MAX && sum >= -MAX) return sum + 0; // + 0: never -0
  }
  return fromBig(toBig(a) + toBig(b));
};

export const sub = (a: Hybrid, b: Hybrid): Hybrid => {
  if (typeof a === 'number' && typeof b === 'number') {
    const difference = a - b;
    if (difference <= MAX && difference >= -MAX) return difference + 0;
  }
  return fromBig(toBig(a) - toBig(b));
};

/** −a (a safe integer's negation is safe; the canonical bigint range is symmetric). */
export const neg = (a: Hybrid): Hybrid => (typeof a === 'number' ? (a === 0 ? 0 : -a) : -a);

export const abs = (a: Hybrid): Hybrid => (a < 0 ? neg(a) : a);
export const min = (a: Hybrid, b: Hybrid): Hybrid => (a < b ? a : b);

/** Half-even adjustment of a truncated quotient `q` with remainder `r` (sign of the numerator) over d > 0. */
const roundHalfEven = (q: number, r: number, d: number): number => {
  if (r === 0) return q + 0;
  const twice = 2 * (r < 0 ? -r : r); // < 2d <= 2^54: exact (a doubling)
  if (twice > d || (twice === d && Math.trunc(q / 2) * 2 !== q)) return r < 0 ? q - 1 : q + 1;
  return q + 0;
};

const gcd = (x: number, y: number): number => {
  let a = x;
  let b = y;
  while (b !== 0) {
    divmod(a, b);
    a = b;
    b = remainder;
  }
  return a;
};

/**
 * round(a × b / d), half-even, on safe integers; undefined when an intermediate would leave the safe range.
 * `divmod` is exact on safe integers; a product is exact when its magnitude is <= MAX.
 */
const mulDivNumber = (a: number, b: number, divisor: number): number | undefined => {
  if (a === 0 || b === 0) return 0;
  let x = a;
  let d = divisor;
  if (d < 0) {
    x = -x;
    d = -d;
  }
  const product = x * b;
  if (product <= MAX && product >= -MAX) {
    const q = divmod(product, d);
    return roundHalfEven(q, remainder, d);
  }
  // Too large at once: cancel b's common factor with d (whole quantities share 10^12), then split x = q·d + r:
  // x·b/d = q·b + (r·b)/d with |r| < d, so both products stay small when the result does.
  const g = gcd(b < 0 ? -b : b, d);
  const b1 = b / g;
  const d1 = d / g;
  const high = divmod(x, d1) * b1;
  const low = remainder * b1;
  if (!(high <= MAX && high >= -MAX && low <= MAX && low >= -MAX)) return undefined;
  const quotient = high + divmod(low, d1);
  const r2 = remainder;
  // Every part has the sign of x·b (or is 0): quotient is the truncation, r2 its remainder.
  if (!(quotient < MAX && quotient > -MAX)) return undefined;
  return roundHalfEven(quotient, r2, d1);
};

/** round(a × b / d), half-even (d != 0): the one rounding step behind multiply, divide and prorate. */
export const mulDiv = (a: Hybrid, b: Hybrid, d: Hybrid): Hybrid => {
  if (typeof a === 'number' && typeof b === 'number' && typeof d === 'number') {
    const fast = mulDivNumber(a, b, d);
    if (fast !== undefined) return fast;
  }
  return fromBig(divideRounded(toBig(a) * toBig(b), toBig(d)));
};

/** a × b, rounded once. */
export const multiply = (a: Hybrid, b: Hybrid): Hybrid => mulDiv(a, b, UNIT);

/** a × b × c (quantity × price × multiplier), rounded once. */
export const multiply3 = (a: Hybrid, b: Hybrid, c: Hybrid): Hybrid => {
  if (c === UNIT) return mulDiv(a, b, UNIT);
  // A whole multiplier k (100 for options): a × (b × k) / 10^12, still one rounding.
  if (typeof c === 'number' && typeof b === 'number' && c % UNIT === 0) {
    const scaledPrice = b * (c / UNIT);
    if (scaledPrice <= MAX && scaledPrice >= -MAX) return mulDiv(a, scaledPrice, UNIT);
  }
  return fromBig(divideRounded(toBig(a) * toBig(b) * toBig(c), ONE * ONE));
};

/** a / b, rounded once (b != 0). */
export const divide = (a: Hybrid, b: Hybrid): Hybrid => mulDiv(a, UNIT, b);

/** total × part / whole: a pro-rata share, rounded once (whole != 0). */
export const prorate = (total: Hybrid, part: Hybrid, whole: Hybrid): Hybrid =>
  part === whole ? total : part === 0 || total === 0 ? 0 : mulDiv(total, part, whole);
