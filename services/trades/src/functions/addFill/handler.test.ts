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

const withOrder = async (limitPrice?: string) => {
  const fake = fakeOrdersEffects();
  await fake.orders.store.createOrder(
    'alice',
    newOrder(
      {
        side: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
        quantity: '100',
        currency: 'USD',
        ...(limitPrice === undefined ? {} : { limitPrice }),
      },
      { id: ORDER_ID, now: '2026-03-02T14:00:00.000Z' },
    ),
  );
  const fill = (body: unknown, sub = 'alice') =>
    invoke(buildHandler(fake.effects), {
      method: 'POST',
      path: `/orders/${ORDER_ID}/fills`,
      routePath: '/orders/{orderId}/fills',
      pathParameters: { orderId: ORDER_ID },
      token: tokens[sub] ?? '',
      body,
    });
  return { fake, fill };
};

type OrderBody = { status: string; filledQuantity: string; averagePrice: string | null; fills: unknown[] };

describe('addFill handler', () => {
  it('records fills, keeps the average and becomes FILLED at the order quantity', async () => {
    const { fill } = await withOrder();
    const first = await fill({
      quantity: '40',
      price: '10.00',
      time: '2026-03-02T14:30:00Z',
      externalId: 'E1',
    });
    expect(first.statusCode).toBe(201);
    expect(first.body).toMatchObject({ status: 'OPEN', filledQuantity: '40', averagePrice: '10' });
    // 40 @ 10 + 60 @ 10.50 = 400 + 630 = 1030 over 100 -> 10.3
    const second = await fill({ quantity: '60', price: '10.50' });
    expect(second.body).toMatchObject({ status: 'FILLED', filledQuantity: '100', averagePrice: '10.3' });
    expect((second.body as OrderBody).fills).toEqual([
      {
        fillId: '01J00000000000000000000000',
        quantity: '40',
        price: '10.00',
        time: '2026-03-02T14:30:00Z',
        externalId: 'E1',
      },
      {
        fillId: '01J00000000000000000000001',
        quantity: '60',
        price: '10.50',
        time: '2026-11-24T10:00:00.000Z',
      },
    ]);
  });

  it('answers 409 for an over-fill and a repeated execution id, and changes nothing', async () => {
    const { fake, fill } = await withOrder();
    await fill({ quantity: '90', price: '10', externalId: 'E1' });
    const over = await fill({ quantity: '10.5', price: '10' });
    const repeated = await fill({ quantity: '1', price: '10', externalId: 'E1' });
    expect([over.statusCode, repeated.statusCode]).toEqual([409, 409]);
    expect((over.body as { error: { details: unknown[] } }).error.details).toEqual([
      { path: 'quantity', message: 'exceeds the unfilled quantity (10)' },
    ]);
    const stored = fake.orders.items.get(`alice/${ORDER_ID}`);
    expect([stored?.order.filledQuantity, stored?.order.fills.length, stored?.revision]).toEqual([
      '90',
      1,
      2,
    ]);
  });

  it("answers 400 for a buy fill above the limit, 404 for another user's order", async () => {
    const { fake, fill } = await withOrder('10');
    expect((await fill({ quantity: '1', price: '10.01' })).statusCode).toBe(400);
    expect((await fill({ quantity: '1', price: '9.99' }, 'mallory')).statusCode).toBe(404);
    expect(fake.orders.items.get(`alice/${ORDER_ID}`)?.order.fills).toEqual([]);
  });

  it('answers 409 when concurrent changes keep winning the race', async () => {
    const { fake, fill } = await withOrder();
    fake.orders.store.updateOrder = async () => ({ kind: 'CONTENDED' });
    expect((await fill({ quantity: '1', price: '10' })).statusCode).toBe(409);
  });
});
