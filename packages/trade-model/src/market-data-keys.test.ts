import {
  feedQuoteItem,
  fxRateItem,
  latestPriceOf,
  MalformedMarketDataItemError,
  priceCloseItem,
  readMarketDataItem,
} from './market-data-keys';

describe('MarketData key layout', () => {
  it('builds the manual close under the owner and the feed close globally', () => {
    const manual = priceCloseItem(
      {
        scope: { kind: 'manual', sub: 'alice' },
        symbol: 'AAPL',
        date: '2026-03-02',
        close: '190.5',
        currency: 'USD',
        source: 'yahoo',
      },
      { updatedAt: 'now' },
    );
    expect(manual).toEqual({
      pk: 'USER#alice#PRICE#AAPL',
      sk: 'DATE#2026-03-02',
      entity: 'PRICE_CLOSE',
      symbol: 'AAPL',
      date: '2026-03-02',
      close: '190.5',
      currency: 'USD',
      // a manual close is always "manual", whatever source the caller passed
      source: 'manual',
      ownerSub: 'alice',
      updatedAt: 'now',
    });
    const feed = priceCloseItem({
      scope: { kind: 'feed' },
      symbol: 'AAPL',
      date: '2026-03-02',
      close: '190.5',
      currency: 'USD',
      source: 'yahoo',
    });
    expect(feed).toMatchObject({ pk: 'PRICE#AAPL', sk: 'DATE#2026-03-02', source: 'yahoo' });
    expect(feed).not.toHaveProperty('ownerSub');
  });

  it('builds quotes and FX rates at their documented keys', () => {
    expect(
      feedQuoteItem({
        symbol: 'MSFT',
        price: '410',
        currency: 'USD',
        time: '2026-03-02T15:00:00.000Z',
        source: 'simulated',
      }),
    ).toEqual({
      pk: 'PRICE#MSFT',
      sk: 'QUOTE',
      entity: 'QUOTE',
      symbol: 'MSFT',
      price: '410',
      currency: 'USD',
      time: '2026-03-02T15:00:00.000Z',
      source: 'simulated',
    });
    const rate = { base: 'EUR', quote: 'USD', date: '2026-03-02', rate: '1.08', source: 'yahoo' };
    expect(fxRateItem({ ...rate, scope: { kind: 'manual', sub: 'bob' } })).toMatchObject({
      pk: 'USER#bob#FX#EUR#USD',
      sk: 'DATE#2026-03-02',
      entity: 'FX_RATE',
      source: 'manual',
      ownerSub: 'bob',
    });
    expect(fxRateItem({ ...rate, scope: { kind: 'feed' } })).toMatchObject({ pk: 'FX#EUR#USD' });
  });

  it('reads back every built item as the value it was built from', () => {
    const close = {
      entity: 'PRICE_CLOSE' as const,
      scope: { kind: 'manual' as const, sub: 'user#with#hashes' },
      symbol: 'BRK.B',
      date: '2026-03-02',
      close: '1',
      currency: 'USD',
      source: 'manual',
    };
    expect(readMarketDataItem(priceCloseItem(close))).toEqual(close);
    const quote = {
      entity: 'QUOTE' as const,
      scope: { kind: 'feed' as const },
      symbol: 'AAPL',
      price: '2',
      currency: 'USD',
      time: '2026-03-02T15:00:00.000Z',
      previousClose: '1.9',
      source: 'yahoo',
    };
    expect(readMarketDataItem(feedQuoteItem(quote))).toEqual(quote);
    const rate = {
      entity: 'FX_RATE' as const,
      scope: { kind: 'feed' as const },
      base: 'GBP',
      quote: 'USD',
      date: '2026-03-02',
      rate: '1.27',
      source: 'simulated',
    };
    expect(readMarketDataItem(fxRateItem(rate))).toEqual(rate);
  });

  it('ignores other entities and refuses an item that does not match its key', () => {
    expect(readMarketDataItem({ pk: 'USER#a#PRICE#X', sk: 'SERIES', entity: 'MANUAL_PRICE_SERIES' })).toBe(
      undefined,
    );
    const good = priceCloseItem({
      scope: { kind: 'manual', sub: 'alice' },
      symbol: 'AAPL',
      date: '2026-03-02',
      close: '1',
      currency: 'USD',
      source: 'manual',
    });
    for (const bad of [
      { ...good, ownerSub: 'mallory' },
      { ...good, symbol: 'MSFT' },
      { ...good, sk: 'DATE#2026-03-03' },
      { ...good, close: undefined },
      { ...good, pk: 'FX#EUR#USD' },
    ]) {
      expect(() => readMarketDataItem(bad)).toThrow(MalformedMarketDataItemError);
    }
  });

  describe('latest price for a user', () => {
    const manualClose = { price: '10', currency: 'USD', asOf: '2026-03-02', source: 'manual' };
    const feedClose = { price: '11', currency: 'USD', asOf: '2026-03-02', source: 'yahoo' };
    const feedQuote = { price: '12', currency: 'USD', asOf: '2026-03-02T15:00:00.000Z', source: 'yahoo' };

    it('takes the manual close on the same date over both feed values', () => {
      expect(latestPriceOf({ manualClose, feedClose, feedQuote })).toBe(manualClose);
    });
    it('takes a newer feed quote over an older manual close', () => {
      const newer = { ...feedQuote, asOf: '2026-03-03T15:00:00.000Z' };
      expect(latestPriceOf({ manualClose, feedClose, feedQuote: newer })).toBe(newer);
    });
    it('takes the quote over the feed close of the same day and answers undefined for nothing', () => {
      expect(latestPriceOf({ feedClose, feedQuote })).toBe(feedQuote);
      expect(latestPriceOf({})).toBeUndefined();
    });
  });
});
