import { DEFAULT_UNIVERSE_SYMBOLS, mapWithConcurrency } from '@kupala/trade-model';
import { daysBefore } from './fx';
import {
  fxSymbol,
  isNotFoundFailure,
  type ProviderClose,
  type ProviderHistory,
  type ProviderQuote,
} from './providers';

type Sourced<T> = T & { source: string };
/**
 * Pairs kept current even before anyone asks: the G10 currencies and the two largest Asian listing venues'
 * (HKD, SGD) against the dollar, each the way its market quotes it. A trade in a currency without any rate to its
 * portfolio's base cannot be applied, so the common ones are kept ready (others are followed on first need).
 */
export const DEFAULT_FX_PAIRS = [
  { base: 'EUR', quote: 'USD' },
  { base: 'GBP', quote: 'USD' },
  { base: 'AUD', quote: 'USD' },
  { base: 'NZD', quote: 'USD' },
  { base: 'USD', quote: 'JPY' },
  { base: 'USD', quote: 'CHF' },
  { base: 'USD', quote: 'CAD' },
  { base: 'USD', quote: 'SEK' },
  { base: 'USD', quote: 'NOK' },
  { base: 'USD', quote: 'DKK' },
  { base: 'USD', quote: 'HKD' },
  { base: 'USD', quote: 'SGD' },
] as const;
/**
 * Days of closes fetched for a symbol or pair seen for the first time, and the furthest back any refresh goes:
 * two years (about 522 business days), more than the 274 closes a market-universe row needs.
 */
export const BACKFILL_DAYS = 731;

export interface RefreshPorts {
  trackedSymbols: () => Promise<string[]>;
  trackedPairs: () => Promise<{ base: string; quote: string }[]>;
  fetchQuote: (symbol: string) => Promise<Sourced<ProviderQuote>>;
  fetchCloses: (symbol: string, range: { from: string; to: string }) => Promise<Sourced<ProviderHistory>>;
  latestCloseDate: (symbol: string) => Promise<string | undefined>;
  latestRateDate: (base: string, quote: string) => Promise<string | undefined>;
  saveQuote: (quote: Sourced<ProviderQuote>) => Promise<unknown>;
  saveCloses: (symbol: string, currency: string, source: string, closes: ProviderClose[]) => Promise<unknown>;
  saveRates: (base: string, quote: string, source: string, rates: ProviderClose[]) => Promise<unknown>;
  /** Drops a symbol no provider knows from the refresh list. */
  untrackSymbol: (symbol: string) => Promise<unknown>;
  onFailure: (subject: string, error: unknown) => void;
}

export interface RefreshSummary {
  symbols: number;
  quotes: number;
  closes: number;
  pairs: number;
  rates: number;
  failures: string[];
  /** Symbols no provider knows, taken off the list. */
  dropped: string[];
}

/**
 * One scheduled refresh: for every tracked symbol and every default market-universe symbol (kept current before
 * anyone asks, so the universe ML dataset has history on a fresh stage) its quote and the daily closes since the last stored one
 * (two years for a new symbol, and never further back than that; the last stored date is fetched again, as a
 * close may have been provisional);
 * for every tracked pair and the default majors the daily rates likewise. One symbol's failure never stops
 * the others; it is counted and reported. Rewriting an unchanged item changes nothing in the stream.
 */
export const refreshMarketData = async (ports: RefreshPorts, now: Date): Promise<RefreshSummary> => {
  const today = now.toISOString().slice(0, 10);
  const summary: RefreshSummary = {
    symbols: 0,
    quotes: 0,
    closes: 0,
    pairs: 0,
    rates: 0,
    failures: [],
    dropped: [],
  };
  const fail = (subject: string, error: unknown) => {
    summary.failures.push(subject);
    ports.onFailure(subject, error);
  };
  // bounded: never further back than the backfill window, however old the last stored close (dates as text)
  const since = (last: string | undefined) => {
    const floor = daysBefore(today, BACKFILL_DAYS);
    return last === undefined || last < floor ? floor : last;
  };

  const symbols = [...new Set([...DEFAULT_UNIVERSE_SYMBOLS, ...(await ports.trackedSymbols())])];
  summary.symbols = symbols.length;
  await mapWithConcurrency(symbols, 4, async (symbol) => {
    try {
      await ports.saveQuote(await ports.fetchQuote(symbol));
      summary.quotes += 1;
      const history = await ports.fetchCloses(symbol, {
        from: since(await ports.latestCloseDate(symbol)),
        to: today,
      });
      await ports.saveCloses(symbol, history.currency, history.source, history.closes);
      summary.closes += history.closes.length;
    } catch (error: unknown) {
      if (isNotFoundFailure(error)) {
        summary.dropped.push(symbol);
        await ports.untrackSymbol(symbol);
      } else fail(symbol, error);
    }
  });

  const seen = new Set<string>();
  const pairs = [...DEFAULT_FX_PAIRS, ...(await ports.trackedPairs())].filter(({ base, quote }) => {
    const key = `${base}/${quote}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  summary.pairs = pairs.length;
  await mapWithConcurrency(pairs, 4, async ({ base, quote }) => {
    try {
      const from = since(await ports.latestRateDate(base, quote));
      const history = await ports.fetchCloses(fxSymbol(base, quote), { from, to: today });
      await ports.saveRates(base, quote, history.source, history.closes);
      summary.rates += history.closes.length;
    } catch (error: unknown) {
      fail(`${base}/${quote}`, error);
    }
  });
  return summary;
};
