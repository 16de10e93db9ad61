import { instrumentKey, normalizeInstrument } from './instrument-key';

describe('instrumentKey', () => {
  it('keys stocks by class, symbol and currency, case-insensitively', () => {
    expect(instrumentKey({ assetClass: 'EQUITY', symbol: 'aapl', currency: 'USD' })).toBe('EQUITY:AAPL:USD');
  });

  it('keys options by their contract terms, as in the contract example', () => {
    const option = {
      assetClass: 'OPTION' as const,
      symbol: 'AAPL261218C00200000',
      currency: 'USD',
      underlying: 'AAPL',
      expiry: '2026-12-18',
      strike: '200.00',
      putCall: 'C' as const,
    };
    expect(instrumentKey(option)).toBe('OPTION:AAPL:2026-12-18:200:C:USD');
  });

  it('keys futures by symbol and expiry', () => {
    expect(
      instrumentKey({ assetClass: 'FUTURE', symbol: 'ESZ6', currency: 'USD', expiry: '2026-12-18' }),
    ).toBe('FUTURE:ESZ6:2026-12-18:USD');
  });

  it('makes the default multiplier explicit', () => {
    expect(normalizeInstrument({ assetClass: 'ETF', symbol: 'vwce', currency: 'EUR' })).toEqual({
      assetClass: 'ETF',
      symbol: 'VWCE',
      currency: 'EUR',
      multiplier: '1',
    });
  });
});
