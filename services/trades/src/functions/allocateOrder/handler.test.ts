import type { CommissionSchedule, Portfolio } from '@kupala/trade-model';
import { invoke, useTestIssuer } from '@kupala/trade-model/testing';
import { newOrder, withFill } from '../../domain/allocation';
import { fakeOrdersEffects } from '../../testing/fake-orders';
import { buildHandler } from './handler';

const ORDER_ID = '01J0000000000000000000RDR1';
const P1 = '01J0000000000000000000PF01';
const P2 = '01J0000000000000000000PF02';
const P3 = '01J0000000000000000000PF03';
const MALLORY_PF = '01J0000000000000000000MA01';

const tokens: Record<string, string> = {};
beforeAll(async () => {
  const issuer = await useTestIssuer();
  for (const sub of ['alice', 'mallory']) tokens[sub] = await issuer.sign(sub);
});

const portfolio = (portfolioId: string, commissionSchedule?: CommissionSchedule): Portfolio => ({
  portfolioId,
  name: portfolioId,
  baseCurrency: 'USD',
  lotMethod: 'FIFO',
  ...(commissionSchedule === undefined ? {} : { commissionSchedule }),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** Alice's order: 100 @ 10.00 then 300 @ 10.40 (average 4120 / 400 = 10.3), last fill on 2026-03-03. */
const setUp = async (
  fills: [string, string, string][] = [
    ['100', '10.00', '2026-03-02T15:00:00Z'],
    ['300', '10.40', '2026-03-03T15:00:00Z'],
  ],
) => {
  const fake = fakeOrdersEffects({
    alice: [
      portfolio(P1, { currency: 'USD', perShare: '0.005', minimum: '1' }),
      portfolio(P2, { currency: 'USD', bpsOfNotional: '10', maximum: '2' }),
      portfolio(P3),
    ],
    mallory: [portfolio(MALLORY_PF)],
  });
  const opened = newOrder(
    {
      side: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
      quantity: '400',
      currency: 'USD',
    },
    { id: ORDER_ID, now: '2026-03-02T14:00:00.000Z' },
  );
  const order = fills.reduce(
    (current, [quantity, price, time], index) =>
      withFill(current, { quantity, price, time }, { id: `01J0000000000000000000FL0${index}`, now: time }),
    opened,
  );
  await fake.orders.store.createOrder('alice', order);
  const allocate = (allocations: unknown, sub = 'alice') =>
    invoke(buildHandler(fake.effects), {
      method: 'POST',
      path: `/orders/${ORDER_ID}/allocations`,
      routePath: '/orders/{orderId}/allocations',
      pathParameters: { orderId: ORDER_ID },
      token: tokens[sub] ?? '',
      body: { allocations },
    });
  return { fake, allocate, stored: () => fake.orders.items.get(`alice/${ORDER_ID}`) };
};

const split = [
  { portfolioId: P1, quantity: '150' },
  { portfolioId: P2, quantity: '200' },
  { portfolioId: P3, quantity: '50' },
];

describe('allocateOrder handler', () => {
  it('books one trade per portfolio at the average price with each schedule, and marks the order ALLOCATED', async () => {
    const { fake, allocate, stored } = await setUp();
    const response = await allocate(split);
    expect(response.statusCode).toBe(201);
    // P1: 150 × 0.005 = 0.75 -> minimum 1.00; P2: 10 bp × 200 × 10.3 = 2.06 -> maximum 2.00; P3: no schedule
    expect(
      fake.trades.map(({ sub, trade }) => [sub, trade.portfolioId, trade.quantity, trade.price, trade.fees]),
    ).toEqual([
      ['alice', P1, '150', '10.3', '1.00'],
      ['alice', P2, '200', '10.3', '2.00'],
      ['alice', P3, '50', '10.3', undefined],
    ]);
    expect(fake.trades.every(({ trade }) => trade.tradeDate === '2026-03-03' && trade.type === 'BUY')).toBe(
      true,
    );
    expect(fake.trades.map(({ trade }) => trade.externalId)).toEqual(
      split.map((a) => `order:${ORDER_ID}:${a.portfolioId}`),
    );
    const body = response.body as { order: { status: string }; trades: unknown[] };
    expect(body.order.status).toBe('ALLOCATED');
    expect(body.trades).toEqual(fake.trades.map(({ trade }) => trade));
    expect(stored()).toMatchObject({ bookingPending: false, order: { status: 'ALLOCATED' } });
  });

  it("answers 404 for another user's portfolio among the allocations and writes nothing", async () => {
    const { fake, allocate, stored } = await setUp();
    const response = await allocate([
      { portfolioId: P1, quantity: '200' },
      { portfolioId: MALLORY_PF, quantity: '200' },
    ]);
    expect(response.statusCode).toBe(404);
    expect(fake.trades).toEqual([]);
    expect(stored()).toMatchObject({ revision: 1, order: { status: 'FILLED', allocations: [] } });
  });

  it('answers 400 with details when the quantities do not sum to the filled quantity', async () => {
    const { fake, allocate } = await setUp();
    const response = await allocate([{ portfolioId: P1, quantity: '399.9999' }]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Allocated quantities must sum exactly to the filled quantity',
        details: [
          { path: 'allocations', message: "quantities sum to 399.9999; the order's filled quantity is 400" },
        ],
      },
    });
    expect(fake.trades).toEqual([]);
  });

  it('answers 400 for a repeated portfolio and for more than 100 allocations', async () => {
    const { allocate } = await setUp();
    const repeated = await allocate([
      { portfolioId: P1, quantity: '200' },
      { portfolioId: P1, quantity: '200' },
    ]);
    expect((repeated.body as { error: { details: { path: string }[] } }).error.details).toEqual([
      expect.objectContaining({ path: 'allocations.1.portfolioId' }),
    ]);
    const tooMany = Array.from({ length: 101 }, () => ({ portfolioId: P1, quantity: '1' }));
    expect((await allocate(tooMany)).statusCode).toBe(400);
  });

  it('answers 409 to a second allocation and books nothing more', async () => {
    const { fake, allocate } = await setUp();
    expect((await allocate(split)).statusCode).toBe(201);
    const again = await allocate([{ portfolioId: P3, quantity: '400' }]);
    expect(again.statusCode).toBe(409);
    expect(fake.trades).toHaveLength(3);
  });

  it('answers 409 when another change to the order wins the conditional write, and books nothing', async () => {
    const { fake, allocate } = await setUp();
    const { getOrder } = fake.orders.store;
    // the order is read at revision 1, then a concurrent request moves it on before this one writes
    fake.orders.store.getOrder = async (sub, orderId) => {
      const read = await getOrder(sub, orderId);
      const current = fake.orders.items.get(`${sub}/${orderId}`);
      if (current !== undefined) current.revision += 1;
      return read;
    };
    expect((await allocate(split)).statusCode).toBe(409);
    expect(fake.trades).toEqual([]);
  });

  it('finishes an interrupted booking before refusing a second allocation', async () => {
    const { fake, allocate, stored } = await setUp();
    expect((await allocate(split)).statusCode).toBe(201);
    // as if the first request had died after marking the order ALLOCATED, before booking anything
    const booked = fake.trades.splice(0);
    const interrupted = stored();
    if (interrupted === undefined) throw new Error('order missing');
    interrupted.bookingPending = true;
    interrupted.order.updatedAt = '2026-11-24T09:58:00.000Z';
    expect((await allocate(split)).statusCode).toBe(409);
    expect(fake.trades.map(({ trade }) => trade)).toEqual(
      booked.map(({ trade }) => ({
        ...trade,
        createdAt: '2026-11-24T09:58:00.000Z',
        updatedAt: '2026-11-24T09:58:00.000Z',
      })),
    );
    expect(stored()?.bookingPending).toBe(false);
  });

  it('answers 409 for an order without fills', async () => {
    const { allocate } = await setUp([]);
    expect((await allocate([{ portfolioId: P1, quantity: '1' }])).statusCode).toBe(409);
  });
});
