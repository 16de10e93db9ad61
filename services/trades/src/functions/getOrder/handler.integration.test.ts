import { tokenFor } from '@kupala/local-stack';
import { ordersApi } from '../../testing/orders-requests';

describe('reading an order against DynamoDB Local', () => {
  it('shows the owner the order with its fills, and answers 404 to another user and to an unknown id', async () => {
    const alice = ordersApi(await tokenFor(`order-get-alice-${Date.now()}`));
    const mallory = ordersApi(await tokenFor(`order-get-mallory-${Date.now()}`));
    const created = await alice.create({
      side: 'SELL',
      instrument: { assetClass: 'ETF', symbol: 'VWRL', currency: 'EUR' },
      quantity: '10',
      currency: 'EUR',
    });
    const { orderId } = created.body as { orderId: string };
    await alice.fill(orderId, { quantity: '4', price: '101.5', externalId: 'X-1' });

    const read = await alice.get(orderId);

    expect(read.statusCode).toBe(200);
    expect(read.body).toMatchObject({
      orderId,
      filledQuantity: '4',
      averagePrice: '101.5',
      fills: [{ quantity: '4', price: '101.5', externalId: 'X-1' }],
    });
    expect((await mallory.get(orderId)).statusCode).toBe(404);
    expect((await alice.get('01J0000000000000000000MSNG')).statusCode).toBe(404);
  });
});
