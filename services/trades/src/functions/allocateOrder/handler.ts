import {
  allocateOrderRoute,
  ConflictError,
  type HttpRouteOptions,
  httpRoute,
  logger,
  NotFoundError,
  type Trade,
} from '@kupala/trade-model';
import type { TradesStore } from '../../adapters/trades-store';
import { allocate, allocationTrades } from '../../domain/allocation';
import { type OrdersSideEffects, ordersSideEffects, tradesRouteOptions } from '../../sideEffects';

// Longer than any run of this function (29 s at most): a booking still pending after it was interrupted.
const INTERRUPTED_BOOKING_MS = 60_000;
const BOOKING_CONCURRENCY = 10;

/**
 * Books each allocation trade in its portfolio. Retry-safe: trade ids and `order:` externalIds are fixed by
 * the allocated order, so an already booked trade is refused as a duplicate and skipped; a portfolio deleted
 * since the allocation took its trades with it, which is what booking then deleting would have left.
 */
const bookAllocation = async (store: TradesStore, sub: string, trades: Trade[]): Promise<void> => {
  for (let start = 0; start < trades.length; start += BOOKING_CONCURRENCY) {
    const chunk = trades.slice(start, start + BOOKING_CONCURRENCY);
    const outcomes = await Promise.all(
      chunk.map((trade) => store.insertTrades(sub, trade.portfolioId, [trade])),
    );
    outcomes.forEach((outcome, index) => {
      if (outcome.kind === 'NO_PORTFOLIO')
        logger.warn('allocation portfolio was deleted before booking', { tradeId: chunk[index]?.tradeId });
    });
  }
};

export const buildHandler = (
  effects: () => OrdersSideEffects = ordersSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    allocateOrderRoute,
    async ({ user, params, body }) => {
      const { orders, store, newId, now } = effects();
      const stamp = { now: now(), newId };
      const stored = await orders.getOrder(user.sub, params.orderId);
      if (stored === undefined) throw new NotFoundError('Order');
      const interrupted = Date.parse(stamp.now) - Date.parse(stored.order.updatedAt) > INTERRUPTED_BOOKING_MS;
      if (stored.bookingPending && interrupted) {
        await bookAllocation(store, user.sub, allocationTrades(stored.order));
        await orders.finishBooking(user.sub, params.orderId);
      }
      const ids = body.allocations.map((allocation) => allocation.portfolioId);
      const portfolios = new Map(
        await Promise.all(ids.map(async (id) => [id, await store.getPortfolio(user.sub, id)] as const)),
      );
      const order = allocate(stored.order, body, portfolios, stamp);
      // the conditional write on the revision is what makes a second, concurrent allocation lose (409)
      if (!(await orders.replaceOrder(user.sub, order, stored.revision, { bookingPending: true }))) {
        throw new ConflictError('The order changed while it was being allocated; read it and retry');
      }
      const trades = allocationTrades(order);
      await bookAllocation(store, user.sub, trades);
      await orders.finishBooking(user.sub, order.orderId);
      return { statusCode: 201, body: { order, trades } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
