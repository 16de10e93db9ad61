import {
  occSymbol,
  parseFidelityOptionSymbol,
  parseIbkrActivityOptionSymbol,
  parseOccSymbol,
  parseSchwabOptionSymbol,
} from './option-symbols';

// AAPL call, 18 Dec 2026, strike 200: OCC strike field = 200 × 1000 = 00200000.
const aaplCall = { underlying: 'AAPL', expiry: '2026-12-18', putCall: 'C', strike: '200' } as const;

describe('option symbols', () => {
  it('reads the 21-character OCC code and its compact form', () => {
    expect(parseOccSymbol('AAPL  261218C00200000')).toEqual(aaplCall);
    expect(parseOccSymbol('AAPL261218C00200000')).toEqual(aaplCall);
    // SPXW put at 4,512.5: 04512500 / 1000 = 4512.5
    expect(parseOccSymbol('SPXW  261218P04512500')).toEqual({
      underlying: 'SPXW',
      expiry: '2026-12-18',
      putCall: 'P',
      strike: '4512.5',
    });
    expect(parseOccSymbol('AAPL')).toBeUndefined();
  });

  it('reads each broker’s own way of writing a contract', () => {
    expect(parseSchwabOptionSymbol('AAPL 12/18/2026 200.00 C')).toEqual(aaplCall);
    expect(parseFidelityOptionSymbol(' -AAPL261218C200')).toEqual(aaplCall);
    expect(parseIbkrActivityOptionSymbol('AAPL 18DEC26 200 C')).toEqual(aaplCall);
    expect(parseIbkrActivityOptionSymbol('AAPL 18XYZ26 200 C')).toBeUndefined();
  });

  it('writes the compact OCC code, or a readable symbol when OCC cannot express the contract', () => {
    expect(occSymbol(aaplCall)).toBe('AAPL261218C00200000');
    expect(occSymbol({ ...aaplCall, strike: '0.0005' })).toBe('AAPL 2026-12-18 C 0.0005');
  });
});
