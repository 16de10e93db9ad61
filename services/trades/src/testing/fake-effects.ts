import type { Portfolio, Trade } from '@kupala/trade-model';
import { inMemoryIdempotencyStore } from '@kupala/trade-model/testing';
import type { TradesStore } from '../adapters/trades-store';
import type { TradesSideEffects } from '../sideEffects';

/** In-memory side effects for unit tests: records what the handler asked the store to do. */
export const fakeTradesEffects = (portfolios: Record<string, Portfolio[]> = {}) => {
  const trades: { sub: string; trade: Trade }[] = [];
  let counter = 0;
  const store: Partial<TradesStore> = {
    getPortfolio: async (sub, portfolioId) => portfolios[sub]?.find((p) => p.portfolioId === portfolioId),
    createPortfolio: async (sub, portfolio) => {
      portfolios[sub] = [...(portfolios[sub] ?? []), portfolio];
    },
    insertTrades: async (sub, portfolioId, batch) => {
      if (!portfolios[sub]?.some((p) => p.portfolioId === portfolioId)) return { kind: 'NO_PORTFOLIO' };
      trades.push(...batch.map((trade) => ({ sub, trade })));
      return { kind: 'OK' };
    },
  };
  const effects: TradesSideEffects = {
    store: store as TradesStore,
    idempotency: inMemoryIdempotencyStore(),
    newId: () => `01J00000000000000000000${String(counter++).padStart(3, '0')}`,
    now: () => '2026-11-24T10:00:00.000Z',
  };
  return { effects: () => effects, trades, portfolios };
};
