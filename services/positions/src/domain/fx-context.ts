import type { Trade } from '@kupala/trade-model';
import type { DatedRates } from '../adapters/market-data-reader';
import type { FxLookup } from './engine';

export interface RatesSource {
  ratesOfPair(sub: string, base: string, quote: string, from: string, to: string): Promise<DatedRates>;
}

/**
 * The engine's synchronous FX lookup for a replay: each foreign currency's rates to the base currency over
 * the dates of the trades that carry no `fxRate` of their own (plus `extraDates`), read once up front. A date
 * without its own rate takes the latest one before it (`rateOn`).
 */
export const prefetchedFx = async (
  rates: RatesSource,
  rateOn: (rates: DatedRates, date: string) => string | undefined,
  sub: string,
  baseCurrency: string,
  trades: readonly Trade[],
  extraDates: { currency: string; date: string }[] = [],
): Promise<FxLookup> => {
  const needed = [
    ...trades
      .filter((trade) => trade.currency !== baseCurrency && trade.fxRate === undefined)
      .map((trade) => ({ currency: trade.currency, date: trade.tradeDate })),
    ...extraDates.filter((entry) => entry.currency !== baseCurrency),
  ];
  const byCurrency = new Map<string, DatedRates>();
  for (const currency of new Set(needed.map((entry) => entry.currency))) {
    const dates = needed
      .filter((entry) => entry.currency === currency)
      .map((entry) => entry.date)
      .sort();
    const first = dates[0] ?? '';
    const last = dates[dates.length - 1] ?? '';
    byCurrency.set(currency, await rates.ratesOfPair(sub, currency, baseCurrency, first, last));
  }
  return (from, to, date) => {
    if (from === to) return '1';
    if (to !== baseCurrency) return undefined;
    const known = byCurrency.get(from);
    return known === undefined ? undefined : rateOn(known, date);
  };
};
