import {
  buildIdempotencyStore,
  createDocumentClient,
  getEnvVariable,
  type HttpRouteOptions,
  type IdempotencyStore,
} from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { buildOrdersStore, type OrdersStore } from './adapters/orders-store';
import { buildTradesStore, type TradesStore } from './adapters/trades-store';

/** Everything a trades handler touches outside itself; tests pass their own. */
export interface TradesSideEffects {
  store: TradesStore;
  /** Idempotency records live in the Trades table too (TTL on expiresAt). */
  idempotency: IdempotencyStore;
  newId: () => string;
  now: () => string;
}

let defaults: TradesSideEffects | undefined;

/** Production side effects, built once per container (configuration read at cold start). */
export const tradesSideEffects = (): TradesSideEffects => {
  if (defaults === undefined) {
    const ulid = monotonicFactory();
    const client = createDocumentClient();
    const tableName = getEnvVariable('TRADES_TABLE');
    defaults = {
      store: buildTradesStore(client, tableName),
      idempotency: buildIdempotencyStore(client, tableName),
      newId: () => ulid(),
      now: () => new Date().toISOString(),
    };
  }
  return defaults;
};

/** Route options every trades handler is built with: idempotent routes keep records through its side effects. */
export const tradesRouteOptions = (effects: () => TradesSideEffects): HttpRouteOptions => ({
  idempotencyStore: () => effects().idempotency,
});

/** What the order handlers touch: the trades side effects plus the block orders. */
export interface OrdersSideEffects extends TradesSideEffects {
  orders: OrdersStore;
}

let orderDefaults: OrdersSideEffects | undefined;

/** Production side effects of the order handlers, built once per container. */
export const ordersSideEffects = (): OrdersSideEffects => {
  orderDefaults ??= {
    ...tradesSideEffects(),
    orders: buildOrdersStore(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
  };
  return orderDefaults;
};
