import { decimalSign, formatDecimalForDisplay, formatMoney } from './decimal-display';

describe('formatDecimalForDisplay', () => {
  it('keeps every digit the API sent, beyond what a binary float holds', () => {
    // 2^53 + 1 = 9007199254740993 is not representable as a double (it would print ...992).
    expect(formatDecimalForDisplay('9007199254740993.123456789012', { groupSeparator: ',' })).toBe(
      '9,007,199,254,740,993.123456789012',
    );
    // 0.1 + 0.2 style: the string is shown as-is, never as 0.30000000000000004.
    expect(formatDecimalForDisplay('0.3')).toBe('0.3');
  });

  it('pads the fraction to minPlaces without rounding or cutting', () => {
    expect(formatDecimalForDisplay('12.5', { minPlaces: 2, groupSeparator: ',' })).toBe('12.50');
    expect(formatDecimalForDisplay('12.345', { minPlaces: 2, groupSeparator: ',' })).toBe('12.345');
    expect(formatDecimalForDisplay('7', { minPlaces: 2 })).toBe('7.00');
  });

  it('groups negative integers and drops the sign of zero', () => {
    expect(formatDecimalForDisplay('-1234567.8', { groupSeparator: ',' })).toBe('-1,234,567.8');
    expect(formatDecimalForDisplay('-0.00')).toBe('0.00');
    expect(formatDecimalForDisplay('999', { groupSeparator: ',' })).toBe('999');
    expect(formatDecimalForDisplay('1000', { groupSeparator: ',' })).toBe('1,000');
  });

  it('refuses anything that is not a plain decimal string', () => {
    for (const bad of ['1e5', 'NaN', '', '1.', '.5', '1,5', ' 1']) {
      expect(() => formatDecimalForDisplay(bad)).toThrow('not a wire decimal');
    }
  });

  it('shows money with two places at least and its currency', () => {
    expect(formatMoney('1234.5', 'EUR')).toBe('1\u202f234.50 EUR');
    expect(formatMoney('0.125', 'USD')).toBe('0.125 USD');
  });

  it('finds the sign of a decimal string', () => {
    expect(decimalSign('-0.01')).toBe(-1);
    expect(decimalSign('0.000')).toBe(0);
    expect(decimalSign('-0')).toBe(0);
    expect(decimalSign('3')).toBe(1);
  });
});
