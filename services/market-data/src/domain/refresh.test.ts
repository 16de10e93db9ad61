import { DEFAULT_UNIVERSE_SYMBOLS } from '@kupala/trade-model';
import { ProviderError } from './providers';
import { BACKFILL_DAYS, DEFAULT_FX_PAIRS, type RefreshPorts, refreshMarketData } from './refresh';

const NOW = new Date('2026-11-24T16:00:00.000Z');

/** Ports over in-memory state: AAA is known with closes stored up to 2026-11-20, BBB is new, GONE is unknown, SLOW fails. */
const ports = () => {
  const saved: string[] = [];
  const ranges: Record<string, { from: string; to: string }> = {};
  const untracked: string[] = [];
  const failures: string[] = [];
  const value: RefreshPorts = {
    trackedSymbols: async () => ['AAA', 'BBB', 'GONE', 'SLOW'],
    trackedPairs: async () => [
      { base: 'EUR', quote: 'USD' },
      { base: 'SEK', quote: 'NOK' },
    ],
    fetchQuote: async (symbol) => {
      if (symbol === 'GONE') throw new ProviderError('yahoo', 'NOT_FOUND', 'no such symbol');
      if (symbol === 'SLOW') throw new ProviderError('yahoo', 'UNAVAILABLE', 'timeout');
      return { symbol, price: '1', currency: 'USD', time: NOW.toISOString(), source: 'simulated' };
    },
    fetchCloses: async (symbol, range) => {
      ranges[symbol] = range;
      return { currency: 'USD', source: 'simulated', closes: [{ date: range.to, close: '1' }], events: [] };
    },
    latestCloseDate: async (symbol) => (symbol === 'AAA' ? '2026-11-20' : undefined),
    latestRateDate: async () => '2026-11-23',
    saveQuote: async (quote) => void saved.push(`quote ${quote.symbol}`),
    saveCloses: async (symbol, _currency, _source, closes) =>
      void saved.push(`closes ${symbol} ${closes.length}`),
    saveRates: async (base, quote) => void saved.push(`rates ${base}/${quote}`),
    untrackSymbol: async (symbol) => void untracked.push(symbol),
    onFailure: (subject) => void failures.push(subject),
  };
  return { value, saved, ranges, untracked, failures };
};

describe('scheduled refresh', () => {
  it('continues from the last stored close, backfills a new symbol, drops the unknown and reports the failing', async () => {
    const state = ports();
    const summary = await refreshMarketData(state.value, NOW);
    // the last stored date is fetched again (a close may have been provisional)
    expect(state.ranges.AAA).toEqual({ from: '2026-11-20', to: '2026-11-24' });
    // a new symbol: 731 days back from 2026-11-24 is 2024-11-23 (365 to 2025-11-24, 366 more over 2024-02-29)
    expect(BACKFILL_DAYS).toBe(731);
    expect(state.ranges.BBB).toEqual({ from: '2024-11-23', to: '2026-11-24' });
    expect(state.untracked).toEqual(['GONE']);
    expect(state.failures).toEqual(['SLOW']);
    // the 4 tracked symbols plus the default universe's (none of them tracked here), each fetched with one close;
    // the universe's succeed like AAA and BBB
    const universe = DEFAULT_UNIVERSE_SYMBOLS.length;
    expect(summary).toMatchObject({
      symbols: 4 + universe,
      quotes: 2 + universe,
      closes: 2 + universe,
      dropped: ['GONE'],
      failures: ['SLOW'],
    });
    // the majors plus the tracked pairs, EUR/USD once
    expect(summary.pairs).toBe(DEFAULT_FX_PAIRS.length + 1);
    expect(state.ranges['SEKNOK=X']).toEqual({ from: '2026-11-23', to: '2026-11-24' });
    expect(state.saved.filter((line) => line.startsWith('rates')).sort()).toContain('rates SEK/NOK');
  });

  it('bounds the work: a symbol or pair whose last close is older than the window refetches the window only', async () => {
    const state = ports();
    const value: RefreshPorts = {
      ...state.value,
      trackedSymbols: async () => ['OLD'],
      trackedPairs: async () => [{ base: 'SEK', quote: 'NOK' }],
      latestCloseDate: async () => '2019-06-03',
      latestRateDate: async (base) => (base === 'SEK' ? '2018-01-02' : '2026-11-23'),
    };
    await refreshMarketData(value, NOW);
    // the window's floor, 2024-11-23, instead of 2019 or 2018: at most 522 weekdays a symbol
    expect(state.ranges.OLD).toEqual({ from: '2024-11-23', to: '2026-11-24' });
    expect(state.ranges['SEKNOK=X']).toEqual({ from: '2024-11-23', to: '2026-11-24' });
    // a pair refreshed yesterday still reads from its last stored date
    expect(state.ranges['EURUSD=X']).toEqual({ from: '2026-11-23', to: '2026-11-24' });
  });

  it('keeps every default market-universe symbol current with nothing tracked, a tracked one once', async () => {
    const state = ports();
    const summary = await refreshMarketData({ ...state.value, trackedSymbols: async () => ['SPY'] }, NOW);
    expect(DEFAULT_UNIVERSE_SYMBOLS).toContain('SPY');
    expect(summary.symbols).toBe(DEFAULT_UNIVERSE_SYMBOLS.length);
    const quoted = state.saved.filter((line) => line.startsWith('quote ')).map((line) => line.slice(6));
    expect(quoted.sort()).toEqual([...DEFAULT_UNIVERSE_SYMBOLS].sort());
    // new to the store: the full two-year backfill, like BBB above
    expect(state.ranges.XLU).toEqual({ from: '2024-11-23', to: '2026-11-24' });
  });
});
