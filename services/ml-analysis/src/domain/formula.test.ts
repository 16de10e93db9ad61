import { evaluateFormula, FormulaError, parseFormula, type Value } from './formula';

const row: Record<string, Value> = {
  close: 110,
  open: 100,
  sector: 'tech',
  'daily volume': 2500,
  missing: null,
};
const evaluate = (formula: string) => evaluateFormula(parseFormula(formula), (name) => row[name] ?? null);

describe('formulas', () => {
  it('respect precedence and associativity', () => {
    expect(evaluate('1 + 2 * 3')).toBe(7); // 1 + 6
    expect(evaluate('(1 + 2) * 3')).toBe(9);
    expect(evaluate('2 ^ 3 ^ 2')).toBe(512); // right-associative: 2^(3^2) = 2^9
    expect(evaluate('-2 ^ 2')).toBe(-4); // unary minus binds looser than ^: −(2²)
    expect(evaluate('10 - 4 - 3')).toBe(3); // left-associative: (10 − 4) − 3
    expect(evaluate('7 % 4 + 1.5e1')).toBe(18); // 3 + 15
  });

  it('read columns by name or in brackets and call whitelisted functions', () => {
    expect(evaluate('close / open - 1')).toBeCloseTo(0.1, 12);
    expect(evaluate('[daily volume] / 1000')).toBe(2.5);
    expect(evaluate('round(log(close / open), 4)')).toBe(0.0953); // ln 1.1 = 0.09531…
    expect(evaluate('if(close > open, "up", "down")')).toBe('up');
    expect(evaluate('max(close, open, 105)')).toBe(110);
    expect(evaluate('abs(open - close) + sqrt(16)')).toBe(14);
  });

  it('compare and combine with and / or / not', () => {
    expect(evaluate('sector == "tech" and close >= 110')).toBe(true);
    expect(evaluate('not (sector != "tech") or 1 > 2')).toBe(true);
    expect(evaluate('sector < 5')).toBe(false); // text and number never compare
  });

  it('propagate missing cells and never produce infinities', () => {
    expect(evaluate('missing + 1')).toBeNull();
    expect(evaluate('missing > 0')).toBe(false);
    expect(evaluate('isnull(missing)')).toBe(true);
    expect(evaluate('close / 0')).toBeNull();
    expect(evaluate('log(0 - 1)')).toBeNull();
  });

  it.each([
    ['process.exit(1)', 'unexpected character'],
    ['constructor("return 1")()', 'unknown function'],
    ['eval("1")', 'unknown function'],
    ['1 +', 'ends too early'],
    ['(1 + 2', 'expected ")"'],
    ['1 2', 'unexpected "2"'],
    ['round()', 'takes 1 to 2 arguments'],
    ['x'.repeat(1001), 'at most 1000'],
    [`${'('.repeat(100)}1${')'.repeat(100)}`, 'nested too deeply'],
  ])('refuse %s as not a formula of the language', (formula, message) => {
    expect(() => parseFormula(formula)).toThrow(FormulaError);
    expect(() => parseFormula(formula)).toThrow(message);
  });
});
