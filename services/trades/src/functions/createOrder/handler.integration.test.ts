import { tokenFor } from '@kupala/local-stack';
import { ordersApi } from '../../testing/orders-requests';

const body = {
  side: 'BUY_TO_COVER',
  instrument: {
    assetClass: 'FUTURE',
    symbol: 'esz6',
    currency: 'USD',
    multiplier: '50',
    expiry: '2026-12-18',
  },
  quantity: '4',
  currency: 'USD',
  note: 'cover ES',
};

describe('creating an order against DynamoDB Local', () => {
  it('stores an OPEN order that its owner reads back', async () => {
    const orders = ordersApi(await tokenFor(`order-create-${Date.now()}`));
    const created = await orders.create(body);
    expect(created.statusCode).toBe(201);
    const { orderId } = created.body as { orderId: string };
    expect(created.headers.location).toBe(`/orders/${orderId}`);
    expect((await orders.get(orderId)).body).toEqual(created.body);
    expect(created.body).toMatchObject({
      instrumentKey: 'FUTURE:ESZ6:2026-12-18:USD',
      status: 'OPEN',
      filledQuantity: '0',
      averagePrice: null,
    });
  });

  it('replays a creation with the same Idempotency-Key, and 409 for the same key with another body', async () => {
    const orders = ordersApi(await tokenFor(`order-idem-${Date.now()}`));
    const first = await orders.create(body, { 'Idempotency-Key': 'order-1' });
    const replay = await orders.create(body, { 'Idempotency-Key': 'order-1' });
    const other = await orders.create({ ...body, quantity: '5' }, { 'Idempotency-Key': 'order-1' });
    expect([first.statusCode, replay.statusCode, other.statusCode]).toEqual([201, 201, 409]);
    expect(replay.body).toEqual(first.body);
  });
});
