import {
  addFillRoute,
  ConflictError,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
} from '@kupala/trade-model';
import { withFill } from '../../domain/allocation';
import { type OrdersSideEffects, ordersSideEffects, tradesRouteOptions } from '../../sideEffects';

export const buildHandler = (
  effects: () => OrdersSideEffects = ordersSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    addFillRoute,
    async ({ user, params, body }) => {
      const { orders, newId, now } = effects();
      const stamp = { id: newId(), now: now() };
      const outcome = await orders.updateOrder(user.sub, params.orderId, (order) =>
        withFill(order, body, stamp),
      );
      if (outcome.kind === 'NOT_FOUND') throw new NotFoundError('Order');
      if (outcome.kind === 'CONTENDED') {
        throw new ConflictError('The order is changing concurrently; read it and retry');
      }
      return {
        statusCode: 201,
        body: outcome.order,
        headers: { location: `/orders/${outcome.order.orderId}` },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
