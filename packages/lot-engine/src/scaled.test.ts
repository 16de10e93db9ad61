import { canonicalDecimal, DECIMAL_PATTERN, Decimal } from '@kupala/trade-model';
import fc from 'fast-check';
import {
  DecimalFormatError,
  divide,
  divideRounded,
  fromScaled,
  multiply,
  multiply3,
  prorate,
  toScaled,
} from './scaled';

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, digits, places]) => {
    const text = digits.toString().padStart(places + 1, '0');
    const body = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
    return `${negative ? '-' : ''}${body}`;
  })
  .filter((text) => DECIMAL_PATTERN.test(text.replace(/^(-?)0+(\d)/, '$1$2')));

describe('scaled decimals', () => {
  it('formats a safe integer exactly as the bigint of the same value (sign, every group of places, zeros)', () => {
    // the safe-integer path writes the 12 places as three 4-digit groups from tables: compare it with the
    // bigint path's digit string, on values whose groups are often zero or end in zeros
    const group = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 9_999 }),
      fc.constantFrom(10, 100, 1_000, 9_000),
    );
    const safe = fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 9_007 }), group, group, group)
      .map(([negative, whole, a, b, c]) => (negative ? -1 : 1) * (whole * 1e12 + a * 1e8 + b * 1e4 + c));
    fc.assert(
      fc.property(
        fc.oneof(
          safe,
          fc.maxSafeInteger().map((n) => n),
          fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -1, 1, 0),
        ),
        (value) => {
          expect(fromScaled(value)).toBe(fromScaled(BigInt(value)));
        },
      ),
      { numRuns: 2_000 },
    );
    expect(fromScaled(-500_000_000_000)).toBe('-0.5'); // -0.5: the sign of a zero whole part
    expect(fromScaled(1_000_000_010_000)).toBe('1.00000001');
  });

  it('round-trips every contract decimal to trade-model canonical form', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(fromScaled(toScaled(text))).toBe(canonicalDecimal(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('multiplies like big.js rounded to 12 places, half-even', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(fromScaled(multiply(toScaled(a), toScaled(b)))).toBe(
          canonicalDecimal(new Decimal(a).times(b).round(12, Decimal.roundHalfEven)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('divides to the nearest 12-place decimal (checked exactly: |a − q × b| <= |b| × 0.5e-12)', () => {
    // big.js divides at 20 places, so comparing with its rounded quotient would round twice; the bound does not.
    const halfUnit = new Decimal('0.0000000000005');
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        fc.pre(!new Decimal(b).eq(0));
        const quotient = new Decimal(fromScaled(divide(toScaled(a), toScaled(b))));
        const error = new Decimal(a).minus(quotient.times(b)).abs();
        expect(error.lte(new Decimal(b).abs().times(halfUnit))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('rounds ties to even, both signs', () => {
    // 5/2 = 2.5 → 2; 7/2 = 3.5 → 4; −5/2 → −2; −7/2 → −4; 7/3 = 2.33 → 2; 8/3 = 2.67 → 3.
    expect([5n, 7n, -5n, -7n].map((n) => divideRounded(n, 2n))).toEqual([2n, 4n, -2n, -4n]);
    expect([divideRounded(7n, 3n), divideRounded(8n, 3n), divideRounded(-8n, -3n)]).toEqual([2n, 3n, 3n]);
  });

  it('computes notional with one rounding and pro-rata shares', () => {
    // 3 × 0.333333333333 × 100 = 99.9999999999; 10 × 1 / 3 = 3.333333333333.
    expect(fromScaled(multiply3(toScaled('3'), toScaled('0.333333333333'), toScaled('100')))).toBe(
      '99.9999999999',
    );
    expect(fromScaled(prorate(toScaled('10'), toScaled('1'), toScaled('3')))).toBe('3.333333333333');
  });

  it.each(['', '-', '.5', '5.', '1.2.3', '1e5', ' 1', '1.0000000000001', 'abc'])('refuses %p', (text) => {
    expect(() => toScaled(text)).toThrow(DecimalFormatError);
  });
});
