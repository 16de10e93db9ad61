import type { MarketDataValue } from '@kupala/trade-model';
import type { PriceMark } from '../adapters/market-data-reader';
import type { StoredMark } from '../adapters/positions-store';
import type { PositionsPublisher } from './publisher';

/** What revaluing on a MarketData change touches (the adapters, injected). */
export interface RevalueDeps {
  store: {
    symbolHolders(symbol: string): Promise<{ sub: string; portfolioId: string; instrumentKey: string }[]>;
    currencyHolders(currency: string): Promise<{ sub: string; portfolioId: string }[]>;
    setMark(sub: string, portfolioId: string, instrumentKey: string, mark: StoredMark): Promise<boolean>;
    rateWaiters(from: string, to: string): Promise<{ sub: string; portfolioId: string; waitId: string }[]>;
    rateWaitResolved(
      sub: string,
      portfolioId: string,
      from: string,
      to: string,
      waitId: string,
    ): Promise<void>;
  };
  prices: { latestPrice(sub: string, symbol: string): Promise<PriceMark | undefined> };
  publisher: PositionsPublisher;
  /** Applies a portfolio's trades the positions do not have yet (they waited for a rate); pushes if it did. */
  catchUp(sub: string, portfolioId: string): Promise<void>;
}

const ownedBy = (value: MarketDataValue) => (sub: string) =>
  value.scope.kind === 'feed' || value.scope.sub === sub;

/**
 * Revalues after one MarketData change. A price (close or quote) moves every holder of its symbol (a user's
 * manual price only that user's positions): each holder's mark is recomputed from the table as it is now
 * (manual close over feed on the same date, latest date wins), so order and repeats do not matter. An FX rate
 * changes no stored figure (positions are valued at the latest rate when read): its holders are told; and a
 * portfolio with trades that could not be applied for want of that pair is caught up (idempotent: the applied
 * versions are skipped), its wait cleared only when that succeeds.
 */
export const revalue = async (deps: RevalueDeps, value: MarketDataValue): Promise<void> => {
  const concerns = ownedBy(value);
  const touched = new Map<string, { sub: string; portfolioId: string }>();
  if (value.entity === 'FX_RATE') {
    // portfolios whose trades waited for this pair (a rate gives both directions): caught up, once it is enough
    for (const [from, to] of [
      [value.base, value.quote],
      [value.quote, value.base],
    ] as const) {
      for (const waiter of await deps.store.rateWaiters(from, to)) {
        if (!concerns(waiter.sub)) continue;
        try {
          await deps.catchUp(waiter.sub, waiter.portfolioId);
        } catch (error: unknown) {
          // a rate that does not reach back to the trade's date: still waiting (for an older rate)
          if (error instanceof Error && error.name === 'MissingFxRateError') continue;
          throw error;
        }
        await deps.store.rateWaitResolved(waiter.sub, waiter.portfolioId, from, to, waiter.waitId);
      }
    }
    for (const currency of [value.base, value.quote]) {
      for (const holder of await deps.store.currencyHolders(currency)) {
        if (concerns(holder.sub)) touched.set(`${holder.sub}#${holder.portfolioId}`, holder);
      }
    }
  } else {
    const holders = (await deps.store.symbolHolders(value.symbol)).filter((holder) => concerns(holder.sub));
    const marks = new Map<string, PriceMark | undefined>();
    for (const holder of holders) {
      if (!marks.has(holder.sub))
        marks.set(holder.sub, await deps.prices.latestPrice(holder.sub, value.symbol));
      const mark = marks.get(holder.sub);
      if (mark === undefined) continue;
      if (await deps.store.setMark(holder.sub, holder.portfolioId, holder.instrumentKey, mark)) {
        touched.set(`${holder.sub}#${holder.portfolioId}`, holder);
      }
    }
  }
  for (const { sub, portfolioId } of touched.values())
    await deps.publisher.positionsChanged(sub, portfolioId);
};
