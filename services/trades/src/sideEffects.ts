import { createDocumentClient, getEnvVariable } from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { buildTradesStore, type TradesStore } from './adapters/trades-store';

/** Everything a trades handler touches outside itself; tests pass their own. */
export interface TradesSideEffects {
  store: TradesStore;
  newId: () => string;
  now: () => string;
}

let defaults: TradesSideEffects | undefined;

/** Production side effects, built once per container (configuration read at cold start). */
export const tradesSideEffects = (): TradesSideEffects => {
  if (defaults === undefined) {
    const ulid = monotonicFactory();
    defaults = {
      store: buildTradesStore(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
      newId: () => ulid(),
      now: () => new Date().toISOString(),
    };
  }
  return defaults;
};
