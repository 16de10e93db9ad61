import { heldInstruments, mergeHeld } from './held-instruments';

describe('held instruments, as market-data is asked to follow them', () => {
  it('names non-cash symbols once and each foreign currency against the base, from positions and cash', () => {
    const held = heldInstruments(
      [
        { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
        { assetClass: 'OPTION', symbol: 'AAPL261218C00200000', currency: 'USD' },
        { assetClass: 'EQUITY', symbol: 'SAP.DE', currency: 'EUR' },
        { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
        { assetClass: 'CASH', symbol: 'CHF', currency: 'CHF' },
      ],
      ['GBP', 'EUR', 'USD'],
      'USD',
    );
    // CASH has no feed; USD is the base (no pair); EUR from SAP.DE and cash, CHF from the cash instrument, GBP
    expect(held).toEqual({
      symbols: ['AAPL', 'AAPL261218C00200000', 'SAP.DE'],
      pairs: [
        { base: 'EUR', quote: 'USD' },
        { base: 'CHF', quote: 'USD' },
        { base: 'GBP', quote: 'USD' },
      ],
    });
  });

  it('names nothing for a base-currency cash-only portfolio', () => {
    expect(heldInstruments([], ['EUR'], 'EUR')).toEqual({ symbols: [], pairs: [] });
  });

  it('merges portfolios: each symbol and pair once', () => {
    expect(
      mergeHeld([
        { symbols: ['AAPL', 'MSFT'], pairs: [{ base: 'EUR', quote: 'USD' }] },
        {
          symbols: ['MSFT', 'SAP.DE'],
          pairs: [
            { base: 'EUR', quote: 'USD' },
            { base: 'USD', quote: 'EUR' },
          ],
        },
      ]),
    ).toEqual({
      symbols: ['AAPL', 'MSFT', 'SAP.DE'],
      pairs: [
        { base: 'EUR', quote: 'USD' },
        { base: 'USD', quote: 'EUR' },
      ],
    });
  });
});
