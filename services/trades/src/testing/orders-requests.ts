import { invoke } from '@kupala/trade-model/testing';
import { main as addFill } from '../functions/addFill/handler';
import { main as allocateOrder } from '../functions/allocateOrder/handler';
import { main as createOrder } from '../functions/createOrder/handler';
import { main as getOrder } from '../functions/getOrder/handler';

/** Calls the order handlers the way API Gateway does, for integration tests. */
export const ordersApi = (token: string) => {
  const orderPath = (orderId: string, suffix = '') => ({
    path: `/orders/${orderId}${suffix}`,
    routePath: `/orders/{orderId}${suffix}`,
    pathParameters: { orderId },
    token,
  });
  return {
    create: (body: unknown, headers: Record<string, string> = {}) =>
      invoke(createOrder, { method: 'POST', path: '/orders', token, body, headers }),
    get: (orderId: string) => invoke(getOrder, { method: 'GET', ...orderPath(orderId) }),
    fill: (orderId: string, body: unknown) =>
      invoke(addFill, { method: 'POST', ...orderPath(orderId, '/fills'), body }),
    allocate: (orderId: string, allocations: unknown[], headers: Record<string, string> = {}) =>
      invoke(allocateOrder, {
        method: 'POST',
        ...orderPath(orderId, '/allocations'),
        body: { allocations },
        headers,
      }),
  };
};
