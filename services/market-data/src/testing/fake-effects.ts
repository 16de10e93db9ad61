import type { DailyCloseInput, HistoricalClose } from '@kupala/trade-model';
import type { ManualPricesStore } from '../adapters/manual-prices-store';
import type { MarketDataStore, StoredQuote, StoredRate } from '../adapters/market-data-store';
import { buildProviderChain } from '../domain/provider-chain';
import type { PriceProvider } from '../domain/providers';
import type { MarketDataSideEffects } from '../sideEffects';

export const FROZEN_NOW = '2026-11-24T10:00:00.000Z';

interface StoredSeries {
  currency: string;
  closes: Map<string, string>;
}

const byDate = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => a.localeCompare(b));
const latestOnOrBefore = (
  rates: Map<string, string> | undefined,
  window: { date?: string; notBefore?: string },
) =>
  byDate(rates ?? new Map<string, string>())
    .filter(
      ([date]) =>
        (window.date === undefined || date <= window.date) &&
        (window.notBefore === undefined || date >= window.notBefore),
    )
    .at(-1);

/**
 * In-memory stores keyed like the real ones (owner first for manual data), every call recorded, and a
 * provider chain over the given providers with no backoff delay. The real stores are tested against
 * DynamoDB Local; these let handler tests look at orchestration and validation.
 */
export const fakeMarketDataEffects = (options: { providers?: PriceProvider[]; now?: string } = {}) => {
  const series = new Map<string, StoredSeries>();
  const feedQuotes = new Map<string, StoredQuote>();
  const feedCloses = new Map<string, { currency: string; source: string; closes: Map<string, string> }>();
  const manualFx = new Map<string, Map<string, string>>();
  const feedFx = new Map<string, { source: string; rates: Map<string, string> }>();
  const tracked = new Set<string>();
  const unknownToFeed = new Set<string>();
  const calls: { method: string; sub?: string; symbol?: string }[] = [];
  const key = (sub: string, symbol: string) => `${sub}|${symbol}`;

  const manualPrices: ManualPricesStore = {
    async claimCurrency(sub, symbol, currency) {
      calls.push({ method: 'claimCurrency', sub, symbol });
      const stored = series.get(key(sub, symbol));
      if (stored === undefined) series.set(key(sub, symbol), { currency, closes: new Map() });
      else if (stored.currency !== currency) return { accepted: false, currency: stored.currency };
      return { accepted: true };
    },
    async writeCloses(sub, symbol, _currency, closes: readonly DailyCloseInput[]) {
      calls.push({ method: 'writeCloses', sub, symbol });
      const stored = series.get(key(sub, symbol));
      if (stored === undefined) throw new Error('writeCloses before claimCurrency');
      for (const close of closes) stored.closes.set(close.date, close.close);
      return closes.length;
    },
    async latestClose(sub, symbol) {
      calls.push({ method: 'latestClose', sub, symbol });
      const stored = series.get(key(sub, symbol));
      const last = byDate(stored?.closes ?? new Map<string, string>()).at(-1);
      return last === undefined || stored === undefined
        ? undefined
        : { date: last[0], close: last[1], currency: stored.currency };
    },
  };

  const notUsed = (method: string) => () => {
    throw new Error(`${method} is not faked`);
  };
  const marketData: MarketDataStore = {
    async feedQuote(symbol) {
      calls.push({ method: 'feedQuote', symbol });
      const quote = feedQuotes.get(symbol);
      return { ...(quote === undefined ? {} : { quote }), unknownToFeed: unknownToFeed.has(symbol) };
    },
    async putFeedQuote(quote) {
      calls.push({ method: 'putFeedQuote', symbol: quote.symbol });
      const stored = feedQuotes.get(quote.symbol);
      if (stored !== undefined && stored.time >= quote.time) return false;
      feedQuotes.set(quote.symbol, quote);
      return true;
    },
    async markUnknownToFeed(symbol) {
      calls.push({ method: 'markUnknownToFeed', symbol });
      unknownToFeed.add(symbol);
    },
    latestFeedCloseDate: notUsed('latestFeedCloseDate'),
    async latestFeedClose(symbol) {
      const feed = feedCloses.get(symbol);
      const date = [...(feed?.closes.keys() ?? [])].sort().at(-1);
      const close = date === undefined ? undefined : feed?.closes.get(date);
      return feed === undefined || date === undefined || close === undefined
        ? undefined
        : { date, close, currency: feed.currency, source: feed.source };
    },
    putFeedCloses: notUsed('putFeedCloses'),
    async listCloses(sub, symbol, range, page) {
      calls.push({ method: 'listCloses', sub, symbol });
      const merged = new Map<string, HistoricalClose>();
      const feed = feedCloses.get(symbol);
      for (const [date, close] of feed?.closes ?? [])
        merged.set(date, { date, close, currency: feed?.currency ?? 'USD', source: feed?.source ?? 'feed' });
      const manual = series.get(key(sub, symbol));
      for (const [date, close] of manual?.closes ?? [])
        merged.set(date, { date, close, currency: manual?.currency ?? 'USD', source: 'manual' });
      const inRange = byDate(merged)
        .map(([, close]) => close)
        .filter(
          (close) =>
            (range.from === undefined || close.date >= range.from) &&
            (range.to === undefined || close.date <= range.to),
        );
      const start = page.cursor === undefined ? 0 : Number(page.cursor);
      const end = start + page.limit;
      return { items: inRange.slice(start, end), nextCursor: end < inRange.length ? String(end) : null };
    },
    async ratesOnOrBefore(sub, base, quote, window) {
      calls.push({ method: 'ratesOnOrBefore', sub, symbol: `${base}/${quote}` });
      const manual = latestOnOrBefore(manualFx.get(`${sub}|${base}/${quote}`), window);
      const feed = feedFx.get(`${base}/${quote}`);
      const feedRate = latestOnOrBefore(feed?.rates, window);
      const rate = (entry: [string, string], source: string): StoredRate => ({
        date: entry[0],
        rate: entry[1],
        source,
      });
      return {
        ...(manual === undefined ? {} : { manual: rate(manual, 'manual') }),
        ...(feedRate === undefined ? {} : { feed: rate(feedRate, feed?.source ?? 'feed') }),
      };
    },
    async putManualFxRates(sub, base, quote, rates) {
      calls.push({ method: 'putManualFxRates', sub, symbol: `${base}/${quote}` });
      const stored = manualFx.get(`${sub}|${base}/${quote}`) ?? new Map<string, string>();
      for (const rate of rates) stored.set(rate.date, rate.rate);
      manualFx.set(`${sub}|${base}/${quote}`, stored);
      return rates.length;
    },
    async latestManualFxRate(sub, base, quote) {
      const last = byDate(manualFx.get(`${sub}|${base}/${quote}`) ?? new Map<string, string>()).at(-1);
      return last === undefined ? undefined : { date: last[0], rate: last[1], source: 'manual' };
    },
    latestFeedFxDate: notUsed('latestFeedFxDate'),
    async putFeedFxRates(base, quote, source, rates) {
      calls.push({ method: 'putFeedFxRates', symbol: `${base}/${quote}` });
      const stored = feedFx.get(`${base}/${quote}`) ?? { source, rates: new Map<string, string>() };
      for (const rate of rates) stored.rates.set(rate.date, rate.close);
      feedFx.set(`${base}/${quote}`, stored);
      return rates.length;
    },
    async trackSymbol(symbol) {
      calls.push({ method: 'trackSymbol', symbol });
      tracked.add(symbol);
    },
    async trackPair(base, quote) {
      calls.push({ method: 'trackPair', symbol: `${base}/${quote}` });
      tracked.add(`${base}/${quote}`);
    },
    untrackSymbol: notUsed('untrackSymbol'),
    trackedSymbols: notUsed('trackedSymbols'),
    trackedPairs: notUsed('trackedPairs'),
  };

  const warnings: { message: string; details: Record<string, unknown> }[] = [];
  const providers = buildProviderChain(
    options.providers ?? [],
    { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    { sleep: async () => undefined, random: () => 0 },
  );
  const effects = (): MarketDataSideEffects => ({
    manualPrices,
    marketData,
    providers,
    now: () => options.now ?? FROZEN_NOW,
    warn: (message, details) => void warnings.push({ message, details }),
  });
  return { effects, series, feedQuotes, feedCloses, manualFx, feedFx, tracked, calls, warnings };
};
