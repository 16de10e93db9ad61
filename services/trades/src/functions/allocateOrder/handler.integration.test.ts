import { tokenFor } from '@kupala/local-stack';
import { ordersApi } from '../../testing/orders-requests';
import { tradesApi } from '../../testing/requests';

type Trade = {
  tradeId: string;
  type: string;
  quantity: string;
  price: string;
  fees?: string;
  tradeDate: string;
  externalId: string;
};
type Order = {
  orderId: string;
  status: string;
  filledQuantity: string;
  averagePrice: string | null;
  allocations: { portfolioId: string; tradeId: string; notional: string; residual: string; fees?: string }[];
};

const aapl = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' };

/** A user with three portfolios of different schedules and a BUY order of 300 AAPL. */
const setUp = async (name: string) => {
  const token = await tokenFor(`${name}-${Date.now()}`);
  const trades = tradesApi(token);
  const orders = ordersApi(token);
  const perShare = await trades.createPortfolio({
    name: 'Per share',
    baseCurrency: 'USD',
    commissionSchedule: { currency: 'USD', perShare: '0.005', minimum: '1' },
  });
  const bps = await trades.createPortfolio({
    name: 'Bps',
    baseCurrency: 'USD',
    commissionSchedule: { currency: 'USD', bpsOfNotional: '5', maximum: '5' },
  });
  const plain = await trades.createPortfolio({ name: 'No schedule', baseCurrency: 'USD' });
  const created = await orders.create({ side: 'BUY', instrument: aapl, quantity: '300', currency: 'USD' });
  const orderId = (created.body as Order).orderId;
  return { token, trades, orders, orderId, perShare, bps, plain };
};
const tradesOf = async (api: ReturnType<typeof tradesApi>, portfolioId: string) =>
  ((await api.list(portfolioId)).body as { items: Trade[] }).items;

describe('allocating an order against DynamoDB Local', () => {
  it('create -> 2 fills -> allocate to 3 portfolios: one trade each at the average price with its own fees', async () => {
    const { trades, orders, orderId, perShare, bps, plain } = await setUp('alloc-flow');
    await orders.fill(orderId, { quantity: '100', price: '190.11', time: '2026-03-02T14:31:05Z' });
    const filled = await orders.fill(orderId, {
      quantity: '200',
      price: '190.25',
      time: '2026-03-03T15:02:00Z',
    });
    // 100 × 190.11 + 200 × 190.25 = 19,011 + 38,050 = 57,061 over 300 = 190.20333… -> 190.20333333
    expect(filled.body).toMatchObject({
      status: 'FILLED',
      filledQuantity: '300',
      averagePrice: '190.20333333',
    });

    const response = await orders.allocate(orderId, [
      { portfolioId: perShare, quantity: '150' },
      { portfolioId: bps, quantity: '100' },
      { portfolioId: plain, quantity: '50' },
    ]);

    expect(response.statusCode).toBe(201);
    const { order } = response.body as { order: Order; trades: Trade[] };
    // notionals: 150 × 190.20333333 = 28,530.4999995; 100 × … = 19,020.333333; 50 × … = 9,510.1666665
    // Σ = 57,060.999999; the residual 57,061 − 57,060.999999 = 0.000001 goes to the largest (150)
    expect(order.allocations.map(({ notional, residual, fees }) => ({ notional, residual, fees }))).toEqual([
      // 150 × 0.005 = 0.75 -> minimum 1.00
      { notional: '28530.4999995', residual: '0.000001', fees: '1.00' },
      // 5 bp × 19,020.333333 = 9.51… -> maximum 5.00
      { notional: '19020.333333', residual: '0', fees: '5.00' },
      { notional: '9510.1666665', residual: '0', fees: undefined },
    ]);
    const booked = await Promise.all([perShare, bps, plain].map((id) => tradesOf(trades, id)));
    expect(booked.map((list) => list.map((t) => [t.type, t.quantity, t.price, t.fees, t.tradeDate]))).toEqual(
      [
        [['BUY', '150', '190.20333333', '1.00', '2026-03-03']],
        [['BUY', '100', '190.20333333', '5.00', '2026-03-03']],
        [['BUY', '50', '190.20333333', undefined, '2026-03-03']],
      ],
    );
    expect(booked.flat().map((t) => t.externalId)).toEqual(
      [perShare, bps, plain].map((id) => `order:${orderId}:${id}`),
    );
    expect(((await orders.get(orderId)).body as Order).status).toBe('ALLOCATED');
    // an allocated order takes no more fills
    expect((await orders.fill(orderId, { quantity: '1', price: '190' })).statusCode).toBe(409);
  });

  it("answers 404 when one portfolio is another user's, and writes nothing anywhere", async () => {
    const { trades, orders, orderId, perShare } = await setUp('alloc-404');
    const bobTrades = tradesApi(await tokenFor(`alloc-bob-${Date.now()}`));
    const bobPortfolio = await bobTrades.createPortfolio();
    await orders.fill(orderId, { quantity: '300', price: '10' });

    const response = await orders.allocate(orderId, [
      { portfolioId: perShare, quantity: '200' },
      { portfolioId: bobPortfolio, quantity: '100' },
    ]);

    expect(response.statusCode).toBe(404);
    expect(await tradesOf(trades, perShare)).toEqual([]);
    expect(await tradesOf(bobTrades, bobPortfolio)).toEqual([]);
    expect((await orders.get(orderId)).body).toMatchObject({ status: 'FILLED', allocations: [] });
  });

  it('answers 409 to a second allocation, sequential or concurrent, and books one set of trades', async () => {
    const { trades, orders, orderId, perShare, bps, plain } = await setUp('alloc-twice');
    await orders.fill(orderId, { quantity: '300', price: '10' });
    const racing = await Promise.all([
      orders.allocate(orderId, [{ portfolioId: perShare, quantity: '300' }]),
      orders.allocate(orderId, [
        { portfolioId: bps, quantity: '150' },
        { portfolioId: plain, quantity: '150' },
      ]),
    ]);
    expect(racing.map((response) => response.statusCode).sort()).toEqual([201, 409]);
    const again = await orders.allocate(orderId, [{ portfolioId: perShare, quantity: '300' }]);
    expect(again.statusCode).toBe(409);
    const counts = await Promise.all(
      [perShare, bps, plain].map(async (id) => (await tradesOf(trades, id)).length),
    );
    const firstWon = racing[0]?.statusCode === 201;
    expect(counts).toEqual(firstWon ? [1, 0, 0] : [0, 1, 1]);
  });

  it('replays the original response for the same Idempotency-Key instead of answering 409', async () => {
    const { orders, orderId, perShare } = await setUp('alloc-idem');
    await orders.fill(orderId, { quantity: '300', price: '10' });
    const allocations = [{ portfolioId: perShare, quantity: '300' }];
    const first = await orders.allocate(orderId, allocations, { 'Idempotency-Key': 'alloc-1' });
    const replay = await orders.allocate(orderId, allocations, { 'Idempotency-Key': 'alloc-1' });
    expect([first.statusCode, replay.statusCode]).toEqual([201, 201]);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
