import { tokenFor } from '@kupala/local-stack';
import { ordersApi } from '../../testing/orders-requests';

type Order = { orderId: string; filledQuantity: string; status: string; fills: unknown[] };
const aapl = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' };

describe('filling an order against DynamoDB Local', () => {
  it('answers 409 to an over-fill and keeps the fills it had', async () => {
    const orders = ordersApi(await tokenFor(`fill-over-${Date.now()}`));
    const orderId = (
      (await orders.create({ side: 'SELL', instrument: aapl, quantity: '100', currency: 'USD' }))
        .body as Order
    ).orderId;
    expect((await orders.fill(orderId, { quantity: '60', price: '10' })).statusCode).toBe(201);

    const over = await orders.fill(orderId, { quantity: '50', price: '10' });

    expect(over.statusCode).toBe(409);
    expect((await orders.get(orderId)).body).toMatchObject({
      filledQuantity: '60',
      status: 'OPEN',
      fills: [{}],
    });
  });

  it('loses no fill and counts none twice when fills arrive concurrently', async () => {
    const orders = ordersApi(await tokenFor(`fill-race-${Date.now()}`));
    const orderId = (
      (await orders.create({ side: 'BUY', instrument: aapl, quantity: '100', currency: 'USD' })).body as Order
    ).orderId;

    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        orders.fill(orderId, { quantity: '30', price: `${10 + index}` }),
      ),
    );

    const accepted = responses.filter((response) => response.statusCode === 201).length;
    expect(responses.every((response) => [201, 409].includes(response.statusCode))).toBe(true);
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(3);
    const order = (await orders.get(orderId)).body as Order;
    expect(order.fills).toHaveLength(accepted);
    expect(order.filledQuantity).toBe(String(30 * accepted));
  });

  it("answers 404 for another user's order", async () => {
    const alice = ordersApi(await tokenFor(`fill-alice-${Date.now()}`));
    const mallory = ordersApi(await tokenFor(`fill-mallory-${Date.now()}`));
    const orderId = (
      (await alice.create({ side: 'BUY', instrument: aapl, quantity: '1', currency: 'USD' })).body as Order
    ).orderId;
    expect((await mallory.fill(orderId, { quantity: '1', price: '1' })).statusCode).toBe(404);
    expect((await alice.get(orderId)).body).toMatchObject({ filledQuantity: '0', fills: [] });
  });
});
