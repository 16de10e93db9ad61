import { addWireDecimals, allocationSlices } from './allocation';

const position = (symbol: string, assetClass: string, marketValueBase: string | null) => ({
  instrument: { symbol, assetClass },
  marketValueBase,
});

describe('allocationSlices', () => {
  it('groups by asset class with exact sums and one-place shares of the gross value', () => {
    const positions = [
      position('AAPL', 'EQUITY', '1206.60'),
      position('MSFT', 'EQUITY', '2100.10'),
      position('SPY', 'ETF', '0.1'),
      position('XYZ', 'EQUITY', null),
    ];
    // EQUITY 1206.60 + 2100.10 = 3306.70; ETF 0.1; gross 3306.80.
    // 3306.70 / 3306.80 = 99.99697…% -> 100.0; 0.1 / 3306.80 = 0.003024…% -> 0.0
    expect(allocationSlices(positions, 'assetClass')).toEqual([
      { label: 'EQUITY', value: '3306.7', percent: '100.0' },
      { label: 'ETF', value: '0.1', percent: '0.0' },
    ]);
  });

  it('keeps digits a binary float would lose and weighs shorts by their absolute value', () => {
    const positions = [
      position('BIG', 'EQUITY', '9007199254740993.01'),
      position('SHORT', 'EQUITY', '-9007199254740993.01'),
    ];
    // gross = 2 × 9007199254740993.01; each side is exactly half: 50.0 %
    expect(allocationSlices(positions, 'instrument')).toEqual([
      { label: 'BIG', value: '9007199254740993.01', percent: '50.0' },
      { label: 'SHORT', value: '-9007199254740993.01', percent: '50.0' },
    ]);
  });

  it('answers no slices for a portfolio with nothing priced', () => {
    expect(allocationSlices([position('A', 'EQUITY', null)], 'instrument')).toEqual([]);
  });
});

describe('addWireDecimals', () => {
  it('adds exactly where floats do not', () => {
    // 0.1 + 0.2 as floats is 0.30000000000000004
    expect(addWireDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(addWireDecimals([])).toBe('0');
  });
});
