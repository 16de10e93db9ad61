import { getOrderRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type OrdersSideEffects, ordersSideEffects, tradesRouteOptions } from '../../sideEffects';

export const buildHandler = (
  effects: () => OrdersSideEffects = ordersSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getOrderRoute,
    async ({ user, params }) => {
      const stored = await effects().orders.getOrder(user.sub, params.orderId);
      if (stored === undefined) throw new NotFoundError('Order');
      return { statusCode: 200, body: stored.order };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
