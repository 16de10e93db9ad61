import { invoke, useTestIssuer } from '@kupala/trade-model/testing';
import { newOrder } from '../../domain/allocation';
import { fakeOrdersEffects } from '../../testing/fake-orders';
import { buildHandler } from './handler';

const ORDER_ID = '01J0000000000000000000RDR1';
const tokens: Record<string, string> = {};
beforeAll(async () => {
  const issuer = await useTestIssuer();
  for (const sub of ['alice', 'mallory']) tokens[sub] = await issuer.sign(sub);
});

const get = (fake: ReturnType<typeof fakeOrdersEffects>, sub: string, orderId = ORDER_ID) =>
  invoke(buildHandler(fake.effects), {
    method: 'GET',
    path: `/orders/${orderId}`,
    routePath: '/orders/{orderId}',
    pathParameters: { orderId },
    token: tokens[sub] ?? '',
  });

describe('getOrder handler', () => {
  const order = newOrder(
    {
      side: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
      quantity: '10',
      currency: 'USD',
    },
    { id: ORDER_ID, now: '2026-03-02T14:00:00.000Z' },
  );

  it("answers the owner's order", async () => {
    const fake = fakeOrdersEffects();
    await fake.orders.store.createOrder('alice', order);
    const response = await get(fake, 'alice');
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual(order);
  });

  it("answers 404 for another user's order and for an unknown id", async () => {
    const fake = fakeOrdersEffects();
    await fake.orders.store.createOrder('alice', order);
    expect((await get(fake, 'mallory')).statusCode).toBe(404);
    expect((await get(fake, 'alice', '01J0000000000000000000MSNG')).statusCode).toBe(404);
  });
});
