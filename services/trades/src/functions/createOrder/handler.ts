import { createOrderRoute, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { newOrder } from '../../domain/allocation';
import { type OrdersSideEffects, ordersSideEffects, tradesRouteOptions } from '../../sideEffects';

export const buildHandler = (
  effects: () => OrdersSideEffects = ordersSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createOrderRoute,
    async ({ user, body }) => {
      const { orders, newId, now } = effects();
      const order = newOrder(body, { id: newId(), now: now() });
      await orders.createOrder(user.sub, order);
      return { statusCode: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
