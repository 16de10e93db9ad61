// Bundled by export-e2e.ts with esbuild (the workspace's middy is ESM-only): never imported by tsx directly.
import { createDocumentClient, type TradeInput } from '@kupala/trade-model';
import { buildTradesStore } from '../services/trades/src/adapters/trades-store';
import { newTrade } from '../services/trades/src/domain/booking';

// the store's single-transaction booking (49 trades and a portfolio check a transaction), 8 in flight
const CHUNK = 49;
const IN_FLIGHT = 8;

/** Trade `index` of a seeded portfolio: buys over 500 symbols and 16 years, 1 in 10 a dividend. */
const tradeInput = (index: number): TradeInput => {
  const instrument = { assetClass: 'EQUITY' as const, symbol: `SYM${index % 500}`, currency: 'USD' };
  const day = `20${10 + (index % 16)}-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}`;
  const common = { instrument, currency: 'USD', tradeDate: day };
  return index % 10 === 0
    ? { type: 'DIVIDEND', amount: `${(index % 997) + 1}.37`, ...common }
    : {
        type: 'BUY',
        quantity: `${(index % 89) + 1}`,
        price: `${(index % 431) + 10}.25`,
        fees: '1.00',
        ...common,
      };
};

/** Books `count` trades into an existing portfolio through the trades store (its keys, its items). */
export const seedTrades = async (tableName: string, sub: string, portfolioId: string, count: number) => {
  const store = buildTradesStore(createDocumentClient(), tableName);
  const stamp = new Date().toISOString();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const start = next;
      next += CHUNK;
      const trades = Array.from({ length: Math.min(CHUNK, count - start) }, (_, offset) =>
        newTrade(portfolioId, tradeInput(start + offset), {
          // ULID-shaped and increasing: booking order is id order
          id: `01BENCH${String(start + offset).padStart(19, '0')}`,
          now: stamp,
        }),
      );
      const outcome = await store.insertTrades(sub, portfolioId, trades);
      if (outcome.kind !== 'OK') throw new Error(`seeding answered ${outcome.kind}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
};
