import fc from 'fast-check';
import { canonicalDecimal, DECIMAL_PATTERN, Decimal, sumDecimals } from './decimal';
import { DecimalSchema } from './schemas/primitives';
import * as z from './zod';

describe('exact decimals', () => {
  it('adds money without binary floating point error', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in binary floating point; exactly 0.3 in decimal.
    expect(sumDecimals(['0.1', '0.2']).toFixed()).toBe('0.3');
    expect(new Decimal('1234.5600').times('3').toFixed(4)).toBe('3703.6800');
  });

  it('keeps at least 8 decimal places in division', () => {
    // 100 / 3 = 33.333333333333333333... (20 places kept)
    expect(new Decimal('100').div('3').toFixed()).toBe('33.33333333333333333333');
  });

  it('canonicalizes for identity but never changes the value', () => {
    expect(canonicalDecimal('200.00')).toBe('200');
    expect(canonicalDecimal('0.500')).toBe('0.5');
    expect(canonicalDecimal('-0.0')).toBe('0');
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 12 }),
        (units, scale) => {
          const text = new Decimal(units.toString()).div(new Decimal(10).pow(scale)).toFixed(scale);
          expect(new Decimal(canonicalDecimal(text)).eq(new Decimal(text))).toBe(true);
        },
      ),
    );
  });

  it('accepts exactly the decimal strings its pattern describes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }),
        fc.integer({ min: 0, max: 12 }),
        (units, scale) => {
          const text = new Decimal(units.toString()).div(new Decimal(10).pow(scale)).toFixed(scale);
          expect(z.safeParse(DecimalSchema, text).success).toBe(DECIMAL_PATTERN.test(text));
        },
      ),
    );
    for (const bad of ['', ' 1', '1 ', '01', '+1', '1.', '.5', '1e5', 'NaN', 'Infinity', '1,000.00']) {
      expect(z.safeParse(DecimalSchema, bad).success).toBe(false);
    }
  });
});
