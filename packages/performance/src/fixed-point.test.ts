import { Decimal } from '@kupala/trade-model';
import fc from 'fast-check';
import { divide, divideHalfEven, multiply, squareRoot, toScaled, toText } from './fixed-point';

const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, places]) => new Decimal(units.toString()).div(10 ** places).toFixed(places));

// big.js keeps the sign of a zero ("-0.000…"); a figure never shows one
const unsignedZero = (text: string) => text.replace(/^-(0\.0+)$/, '$1');

describe('fixed-point arithmetic agrees with big.js (DP 20, half-even)', () => {
  it('takes exact square roots exactly', () => {
    expect(toText(squareRoot(toScaled('2.835')), 20)).toBe('1.68374582404827362351');
    expect(toText(squareRoot(toScaled('0.01')), 20)).toBe('0.10000000000000000000');
  });

  it('rounds half to even', () => {
    // 5 / 2 = 2.5 → 2; 7 / 2 = 3.5 → 4; −5 / 2 → −2; 7 / 3 = 2.33 → 2
    expect([
      divideHalfEven(5n, 2n),
      divideHalfEven(7n, 2n),
      divideHalfEven(-5n, 2n),
      divideHalfEven(7n, 3n),
    ]).toEqual([2n, 4n, -2n, 2n]);
  });

  it('divides, multiplies and takes square roots like big.js', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        fc.pre(!new Decimal(b).eq(0));
        expect(toText(divide(toScaled(a), toScaled(b)), 20)).toBe(
          unsignedZero(new Decimal(a).div(b).toFixed(20)),
        );
        expect(toText(multiply(toScaled(a), toScaled(b)), 20)).toBe(
          new Decimal(a).times(b).round(20).toFixed(20),
        );
        // the root is the nearest 20-place value: (2R − 1)² ≤ 4 × v × 10^20 ≤ (2R + 1)² in integers
        // (big.js's own sqrt can be one unit off in the last place, so it is not the reference here)
        const value = toScaled(new Decimal(a).abs().toFixed());
        const root = squareRoot(value);
        const target = 4n * value * 10n ** 20n;
        const lower = root === 0n ? 0n : (2n * root - 1n) ** 2n;
        expect(lower <= target && target <= (2n * root + 1n) ** 2n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('prints with the places asked, never "-0"', () => {
    expect(toText(toScaled('0.045'), 10)).toBe('0.0450000000');
    expect(toText(toScaled('-0.00000000001'), 10)).toBe('0.0000000000');
    expect(toText(toScaled('-1.23456789015'), 10)).toBe('-1.2345678902');
  });
});
