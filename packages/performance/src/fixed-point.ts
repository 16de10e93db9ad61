/**
 * Exact scaled-integer arithmetic for returns: a value v is held as the bigint v × 10^20. Divisions round
 * half-even to 20 places, as big.js does with the trade-model's settings (DP 20, half-even), at about a
 * hundredth of its cost, which 10 years of daily linking needs.
 */
export const PLACES = 20;
export const SCALE = 10n ** BigInt(PLACES);

export class InvalidDecimalError extends Error {
  override readonly name = 'InvalidDecimalError';
}

/** "123.45" → 12345 × 10^18; at most 20 decimal places. */
export const toScaled = (text: string): bigint => {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const fraction = match?.[3] ?? '';
  if (match === null || fraction.length > PLACES)
    throw new InvalidDecimalError(`"${text.slice(0, 40)}" is not a decimal`);
  const value = BigInt(`${match[2]}${fraction.padEnd(PLACES, '0')}`);
  return match[1] === '-' ? -value : value;
};

/** numerator / denominator rounded half-even to an integer. */
export const divideHalfEven = (numerator: bigint, denominator: bigint): bigint => {
  if (denominator === 0n) throw new RangeError('division by zero');
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && quotient % 2n === 1n)) quotient += 1n;
  return sign * quotient;
};

/** a × b of two scaled values, rounded half-even back to the scale. */
export const multiply = (a: bigint, b: bigint): bigint => divideHalfEven(a * b, SCALE);
/** a / b of two scaled values, rounded half-even to the scale. */
export const divide = (a: bigint, b: bigint): bigint => divideHalfEven(a * SCALE, b);

/** Square root of a scaled value, rounded half-even to the scale (Newton on integers, 3 guard digits). */
export const squareRoot = (value: bigint): bigint => {
  if (value < 0n) throw new RangeError('square root of a negative value');
  // √(v × 10^20 × 10^6) = √v × 10^20 × 10^3: the root carries three guard digits below the scale
  const radicand = value * SCALE * 1_000_000n;
  if (radicand === 0n) return 0n;
  let root = BigInt(Math.floor(Math.sqrt(Number(radicand))));
  for (let step = 0; step < 200; step += 1) {
    const next = (root + radicand / root) / 2n;
    if (next === root || next === root + 1n || next === root - 1n) break;
    root = next;
  }
  while (root * root > radicand) root -= 1n;
  while ((root + 1n) * (root + 1n) <= radicand) root += 1n;
  const quotient = root / 1000n;
  const guard = root % 1000n;
  const exact = root * root === radicand;
  // a truncated guard of exactly 500 is a tie only when the root is exact; otherwise the value is above it
  const up = guard > 500n || (guard === 500n && (!exact || quotient % 2n === 1n));
  return up ? quotient + 1n : quotient;
};

/** A scaled value as text with `places` decimals, half-even; "-0.000…" becomes "0.000…". */
export const toText = (value: bigint, places: number): string => {
  const rounded = divideHalfEven(value, 10n ** BigInt(PLACES - places));
  const negative = rounded < 0n;
  const digits = (negative ? -rounded : rounded).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
};

export const toNumber = (value: bigint): number => Number(value) / 1e20;
