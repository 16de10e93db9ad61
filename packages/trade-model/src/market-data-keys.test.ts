import {
  feedQuoteItem,
  fxRateItem,
  inverseRate,
  latestPriceOf,
  liveTrackedSymbol,
  MalformedMarketDataItemError,
  priceCloseItem,
  readMarketDataItem,
  TRACKED_SYMBOLS_PARTITION_KEY,
  trackedSymbolSortKey,
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

describe('the inverse of a stored rate', () => {
  it('is 1 / rate, rounded half-even to 12 places, trailing zeros dropped', () => {
    // 1 / 3 = 0.333333333333|333… -> 0.333333333333; 1 / 0.982021 = 1.018308162452|737… -> 1.018308162453
    expect(inverseRate('3')).toBe('0.333333333333');
    expect(inverseRate('0.982021')).toBe('1.018308162453');
    // 1 / 1.5 = 0.666666666666|666… -> up: 0.666666666667; 1 / 0.8 = 1.25 exactly (no padding)
    expect(inverseRate('1.5')).toBe('0.666666666667');
    expect(inverseRate('0.8')).toBe('1.25');
  });

  it('rounds a tie to the even digit', () => {
    // 1 / 1600000000000 = 0.000000000000625 -> 12 places: 0.000000000000|625, above the tie -> ...001;
    // 1 / 2000000000000 = 0.0000000000005 exactly: a tie at the 13th place -> even 0.000000000000 = 0
    expect(inverseRate('1600000000000')).toBe('0.000000000001');
    expect(inverseRate('2000000000000')).toBe('0');
  });
});

describe("the feed's refresh list", () => {
  const now = '2026-11-24T10:00:00.000Z';
  const nowSeconds = Date.parse(now) / 1000;

  it('keys a tracked symbol under one partition, one item per symbol', () => {
    expect(TRACKED_SYMBOLS_PARTITION_KEY).toBe('REFRESH#SYMBOLS');
    expect(trackedSymbolSortKey('AAPL')).toBe('SYMBOL#AAPL');
  });

  it('reads a symbol only while its entry is live (TTL deletes late)', () => {
    expect(liveTrackedSymbol({ symbol: 'AAPL', expiresAt: nowSeconds + 1 }, now)).toBe('AAPL');
    expect(liveTrackedSymbol({ symbol: 'AAPL', expiresAt: nowSeconds }, now)).toBeUndefined();
    expect(liveTrackedSymbol({ symbol: 'AAPL' }, now)).toBeUndefined();
    expect(liveTrackedSymbol({ expiresAt: nowSeconds + 60 }, now)).toBeUndefined();
  });
});
