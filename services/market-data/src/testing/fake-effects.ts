import type { DailyCloseInput, HistoricalClose } from '@kupala/trade-model';
import type { ManualPricesStore } from '../adapters/manual-prices-store';
import type { MarketDataSideEffects } from '../sideEffects';

export const FROZEN_NOW = '2026-11-24T10:00:00.000Z';

interface StoredSeries {
  currency: string;
  closes: Map<string, string>;
}

/** In-memory manual prices keyed like the real store (owner, then symbol); every call is recorded. */
export const fakeMarketDataEffects = () => {
  const series = new Map<string, StoredSeries>();
  const calls: { method: keyof ManualPricesStore; sub: string; symbol: string }[] = [];
  const key = (sub: string, symbol: string) => `${sub}|${symbol}`;
  const sortedCloses = (sub: string, symbol: string) =>
    [...(series.get(key(sub, symbol))?.closes ?? new Map<string, string>()).entries()].sort(([a], [b]) =>
      a.localeCompare(b),
    );

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
      const last = sortedCloses(sub, symbol).at(-1);
      return last === undefined ? undefined : { date: last[0], close: last[1] };
    },
    async listCloses(sub, symbol, range, page) {
      calls.push({ method: 'listCloses', sub, symbol });
      const currency = series.get(key(sub, symbol))?.currency ?? 'USD';
      const inRange = sortedCloses(sub, symbol).filter(
        ([date]) =>
          (range.from === undefined || date >= range.from) && (range.to === undefined || date <= range.to),
      );
      const start = page.cursor === undefined ? 0 : Number(page.cursor);
      const items: HistoricalClose[] = inRange
        .slice(start, start + page.limit)
        .map(([date, close]) => ({ date, close, currency, source: 'manual' }));
      const end = start + page.limit;
      return { items, nextCursor: end < inRange.length ? String(end) : null };
    },
  };

  const effects = (): MarketDataSideEffects => ({ manualPrices, now: () => FROZEN_NOW });
  return { effects, series, calls };
};
