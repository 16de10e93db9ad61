import { parseDecimalText } from './decimal-text';

describe('parseDecimalText', () => {
  it.each([
    ['190.50', '.', '190.50', false],
    ['1,234.50', '.', '1234.50', false],
    ['-1,234.56', '.', '1234.56', true],
    ['-$1,234.56', '.', '1234.56', true],
    ['$-1,234.56', '.', '1234.56', true],
    ['($1,234.56)', '.', '1234.56', true],
    ['(12)', '.', '12', true],
    ['1234.5-', '.', '1234.5', true],
    ['+7', '.', '7', false],
    ['.5', '.', '0.5', false],
    ['007.10', '.', '7.10', false],
    ['-0.00', '.', '0.00', false],
    ['1.234,50', ',', '1234.50', false],
    ['1 234,50', ',', '1234.50', false],
    ['-0,5', ',', '0.5', true],
    ['€ 12,00', ',', '12.00', false],
  ] as const)('reads %j with %j as decimal separator', (raw, separator, magnitude, negative) => {
    expect(parseDecimalText(raw, separator)).toEqual({ ok: true, magnitude, negative });
  });

  it.each([
    ['1,5', '.'],
    ['1.5', ','],
    ['12,34,5', '.'],
    ['abc', '.'],
    ['1e5', '.'],
    ['--5', '.'],
    ['(-5)', '.'],
    ['1.2.3', '.'],
    ['$', '.'],
  ] as const)('rejects %j with %j as decimal separator', (raw, separator) => {
    expect(parseDecimalText(raw, separator)).toEqual({
      ok: false,
      message: `is not a number (expected digits with "${separator}" as decimal separator)`,
    });
  });

  it('treats a blank cell as absent', () => {
    expect(parseDecimalText('   ')).toBeUndefined();
  });
});
