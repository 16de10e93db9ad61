import type { Order, Portfolio } from '@kupala/trade-model';
import type { OrdersStore, StoredOrder } from '../adapters/orders-store';
import type { OrdersSideEffects } from '../sideEffects';
import { fakeTradesEffects } from './fake-effects';

/** In-memory orders keyed by owner and id, with the real store's revision check. */
export const fakeOrdersStore = () => {
  const items = new Map<string, StoredOrder>();
  const keyOf = (sub: string, orderId: string) => `${sub}/${orderId}`;
  const getOrder = async (sub: string, orderId: string) => {
    const stored = items.get(keyOf(sub, orderId));
    return stored === undefined ? undefined : structuredClone(stored);
  };
  const replaceOrder = async (
    sub: string,
    order: Order,
    expectedRevision: number,
    options: { bookingPending?: boolean } = {},
  ) => {
    const current = items.get(keyOf(sub, order.orderId));
    if (current === undefined || current.revision !== expectedRevision) return false;
    items.set(keyOf(sub, order.orderId), {
      order: structuredClone(order),
      revision: expectedRevision + 1,
      bookingPending: options.bookingPending === true,
    });
    return true;
  };
  const store: OrdersStore = {
    getOrder,
    replaceOrder,
    createOrder: async (sub, order) => {
      items.set(keyOf(sub, order.orderId), {
        order: structuredClone(order),
        revision: 1,
        bookingPending: false,
      });
    },
    updateOrder: async (sub, orderId, change) => {
      const stored = await getOrder(sub, orderId);
      if (stored === undefined) return { kind: 'NOT_FOUND' };
      const next = change(stored.order);
      return (await replaceOrder(sub, next, stored.revision))
        ? { kind: 'OK', order: next }
        : { kind: 'CONTENDED' };
    },
    finishBooking: async (sub, orderId) => {
      const stored = items.get(keyOf(sub, orderId));
      if (stored !== undefined) stored.bookingPending = false;
    },
  };
  return { store, items };
};

/** Side effects of the order handlers for unit tests: fake trades store, fake orders store. */
export const fakeOrdersEffects = (portfolios: Record<string, Portfolio[]> = {}) => {
  const trades = fakeTradesEffects(portfolios);
  const orders = fakeOrdersStore();
  const effects: OrdersSideEffects = { ...trades.effects(), orders: orders.store };
  return { ...trades, effects: () => effects, orders };
};
