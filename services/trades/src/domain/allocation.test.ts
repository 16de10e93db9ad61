import {
  type CommissionSchedule,
  ConflictError,
  Decimal,
  decimal,
  type Instrument,
  NotFoundError,
  type Order,
  type Portfolio,
  sumDecimals,
  ValidationError,
} from '@kupala/trade-model';
import fc from 'fast-check';
import { allocate, allocationTrades, averageOf, commission, newOrder, withFill } from './allocation';

const NOW = '2026-03-02T16:00:00.000Z';
const aapl: Instrument = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD', multiplier: '1' };
const option: Instrument = {
  assetClass: 'OPTION',
  symbol: 'AAPL261218C00200000',
  currency: 'USD',
  multiplier: '100',
  underlying: 'AAPL',
  expiry: '2026-12-18',
  strike: '200',
  putCall: 'C',
};

// Portfolio ids are ULIDs; P1 < P2 < P3 in id order.
const P1 = '01J0000000000000000000PF01';
const P2 = '01J0000000000000000000PF02';
const P3 = '01J0000000000000000000PF03';

let ids = 0;
const nextId = () => `01J00000000000000000${String(ids++).padStart(6, '0')}`;
const stamp = () => ({ id: nextId(), now: NOW });

const portfolio = (portfolioId: string, commissionSchedule?: CommissionSchedule): Portfolio => ({
  portfolioId,
  name: portfolioId,
  baseCurrency: 'USD',
  lotMethod: 'FIFO',
  ...(commissionSchedule === undefined ? {} : { commissionSchedule }),
  createdAt: NOW,
  updatedAt: NOW,
});
const portfoliosOf = (...list: Portfolio[]) => new Map(list.map((p) => [p.portfolioId, p] as const));

const filledOrder = (
  fills: [quantity: string, price: string, time?: string][],
  options: { instrument?: Instrument; side?: Order['side']; quantity?: string } = {},
): Order => {
  const instrument = options.instrument ?? aapl;
  const quantity = options.quantity ?? sumDecimals(fills.map(([q]) => q)).toFixed();
  return fills.reduce(
    (order, [q, price, time]) =>
      withFill(order, { quantity: q, price, ...(time === undefined ? {} : { time }) }, stamp()),
    newOrder(
      { side: options.side ?? 'BUY', instrument, quantity, currency: instrument.currency },
      { id: nextId(), now: '2026-03-02T14:00:00.000Z' },
    ),
  );
};
const allocating = { now: NOW, newId: nextId };

describe('volume-weighted average price', () => {
  it('keeps a terminating average exactly: 100 @ 10.00 + 300 @ 10.40 = 4120 / 400 = 10.3', () => {
    const order = filledOrder([
      ['100', '10.00'],
      ['300', '10.40'],
    ]);
    expect(order.averagePrice).toBe('10.3');
    expect(order.status).toBe('FILLED');
  });

  it('keeps an average that terminates beyond 8 but within 12 places: 8.00000005 / 8 = 1.00000000625', () => {
    // 3 @ 1 + 5 @ 1.00000001 = 3 + 5.00000005 = 8.00000005 over 8 units
    const order = filledOrder([
      ['3', '1'],
      ['5', '1.00000001'],
    ]);
    expect(order.averagePrice).toBe('1.00000000625');
  });

  it('rounds a non-terminating average half-even to 8 places: 30.02 / 3 = 10.006666… -> 10.00666667', () => {
    // 1 @ 10 + 2 @ 10.01 = 10 + 20.02 = 30.02 over 3
    const order = filledOrder([
      ['1', '10'],
      ['2', '10.01'],
    ]);
    expect(order.averagePrice).toBe('10.00666667');
  });

  it('rounds quotients that terminate only beyond 12 places, and never through a double rounding', () => {
    // 1 / 8192 = 0.0001220703125 (13 places): the 9th place is 0 -> 0.00012207
    expect(averageOf(new Decimal('1'), new Decimal('8192'))).toEqual({
      price: new Decimal('0.00012207'),
      exact: false,
    });
    // 2 / 3 = 0.666… -> 0.66666667 (up); 1 / 3 -> 0.33333333 (down)
    expect(averageOf(new Decimal('2'), new Decimal('3')).price.toFixed()).toBe('0.66666667');
    expect(averageOf(new Decimal('1'), new Decimal('3')).price.toFixed()).toBe('0.33333333');
    // 0.999999994999999999999999 lies just below the 8-place midpoint 0.999999995: a 20-place division rounds
    // it onto the midpoint; the exact remainder keeps it below, so it rounds down to 0.99999999
    expect(averageOf(new Decimal('0.999999994999999999999999'), new Decimal('1')).price.toFixed()).toBe(
      '0.99999999',
    );
  });
});

describe('fills', () => {
  it('refuses a fill beyond the order quantity, naming what is left', () => {
    const order = filledOrder([['60', '10']], { quantity: '100' });
    expect(order.status).toBe('OPEN');
    expect(() => withFill(order, { quantity: '40.0001', price: '10' }, stamp())).toThrow(ConflictError);
    expect(() => withFill(order, { quantity: '40.0001', price: '10' }, stamp())).toThrow(
      expect.objectContaining({
        details: [{ path: 'quantity', message: 'exceeds the unfilled quantity (40)' }],
      }),
    );
    expect(withFill(order, { quantity: '40', price: '10' }, stamp()).status).toBe('FILLED');
  });

  it('refuses fills on an allocated order and repeated broker execution ids', () => {
    const order = filledOrder([['10', '5']]);
    const allocated = allocate(
      order,
      { allocations: [{ portfolioId: P1, quantity: '10' }] },
      portfoliosOf(portfolio(P1)),
      allocating,
    );
    expect(() => withFill(allocated, { quantity: '1', price: '5' }, stamp())).toThrow(ConflictError);
    const open = withFill(
      newOrder({ side: 'SELL', instrument: aapl, quantity: '10', currency: 'USD' }, stamp()),
      { quantity: '1', price: '5', externalId: 'EX-1' },
      stamp(),
    );
    expect(() => withFill(open, { quantity: '1', price: '5', externalId: 'EX-1' }, stamp())).toThrow(
      ConflictError,
    );
  });

  it("refuses a fill on the wrong side of the order's limit", () => {
    const buy = newOrder(
      { side: 'BUY', instrument: aapl, quantity: '10', currency: 'USD', limitPrice: '100' },
      stamp(),
    );
    expect(() => withFill(buy, { quantity: '1', price: '100.01' }, stamp())).toThrow(ValidationError);
    expect(withFill(buy, { quantity: '1', price: '100' }, stamp()).averagePrice).toBe('100');
    const sell = newOrder(
      { side: 'SELL_SHORT', instrument: aapl, quantity: '10', currency: 'USD', limitPrice: '100' },
      stamp(),
    );
    expect(() => withFill(sell, { quantity: '1', price: '99.99' }, stamp())).toThrow(ValidationError);
  });
});

describe('commission schedules', () => {
  const perShare: CommissionSchedule = { currency: 'USD', perShare: '0.005', minimum: '1' };

  it('per share with a minimum: 150 × 0.005 = 0.75 is raised to 1.00; 1000 × 0.005 = 5.00', () => {
    expect(commission(perShare, { instrument: aapl, quantity: '150', price: '20' }).toFixed(2)).toBe('1.00');
    expect(commission(perShare, { instrument: aapl, quantity: '1000', price: '20' }).toFixed(2)).toBe('5.00');
  });

  it('basis points of notional with a maximum: 10 bp of 50,000 = 50 is capped at 25; 10 bp of 5,000 = 5', () => {
    const bps: CommissionSchedule = { currency: 'USD', bpsOfNotional: '10', maximum: '25' };
    expect(commission(bps, { instrument: aapl, quantity: '1000', price: '50' }).toFixed(2)).toBe('25.00');
    expect(commission(bps, { instrument: aapl, quantity: '100', price: '50' }).toFixed(2)).toBe('5.00');
  });

  it('per contract for options, notional with multiplier 100: 10 × 0.65 + 1 bp × 3,150 = 6.815 -> 6.82', () => {
    // notional = 10 contracts × 3.15 × 100 = 3,150; 1 bp = 0.315; 6.50 + 0.315 = 6.815, a tie: half-even -> 6.82
    const schedule: CommissionSchedule = {
      currency: 'USD',
      perShare: '0.01',
      perContract: '0.65',
      bpsOfNotional: '1',
    };
    expect(commission(schedule, { instrument: option, quantity: '10', price: '3.15' }).toFixed(2)).toBe(
      '6.82',
    );
    // the per-share rate does not apply to contracts, nor the per-contract rate to shares: 100 × 0.01 + 1 bp × 315
    expect(commission(schedule, { instrument: aapl, quantity: '100', price: '3.15' }).toFixed(2)).toBe(
      '1.03',
    );
  });

  it('rounds ties half-even: 100 × 0.01245 = 1.245 -> 1.24', () => {
    expect(
      commission(
        { currency: 'USD', perShare: '0.01245' },
        { instrument: aapl, quantity: '100', price: '1' },
      ).toFixed(2),
    ).toBe('1.24');
  });
});

describe('allocating a filled order', () => {
  it('books one trade per portfolio at the exact average with each portfolio’s own commission', () => {
    const order = filledOrder([
      ['100', '10.00', '2026-03-02T14:30:00Z'],
      ['300', '10.40', '2026-03-03T09:00:00Z'],
    ]);
    const portfolios = portfoliosOf(
      portfolio(P1, { currency: 'USD', perShare: '0.005', minimum: '1' }),
      portfolio(P2, { currency: 'USD', bpsOfNotional: '10', maximum: '2' }),
      portfolio(P3),
    );
    const allocated = allocate(
      order,
      {
        allocations: [
          { portfolioId: P1, quantity: '150' },
          { portfolioId: P2, quantity: '200' },
          { portfolioId: P3, quantity: '50' },
        ],
      },
      portfolios,
      allocating,
    );
    // price 10.3 exact: P1 150 × 0.005 = 0.75 -> minimum 1.00; P2 10 bp × 2,060 = 2.06 -> maximum 2.00
    expect(allocated.status).toBe('ALLOCATED');
    expect(
      allocated.allocations.map(({ portfolioId, price, notional, residual, fees }) => ({
        portfolioId,
        price,
        notional,
        residual,
        fees,
      })),
    ).toEqual([
      { portfolioId: P1, price: '10.3', notional: '1545', residual: '0', fees: '1.00' },
      { portfolioId: P2, price: '10.3', notional: '2060', residual: '0', fees: '2.00' },
      { portfolioId: P3, price: '10.3', notional: '515', residual: '0', fees: undefined },
    ]);
    const trades = allocationTrades(allocated);
    expect(
      trades.map((trade) => [
        trade.portfolioId,
        trade.type,
        trade.quantity,
        trade.price,
        trade.fees,
        trade.tradeDate,
        trade.externalId,
      ]),
    ).toEqual([
      [P1, 'BUY', '150', '10.3', '1.00', '2026-03-03', `order:${order.orderId}:${P1}`],
      [P2, 'BUY', '200', '10.3', '2.00', '2026-03-03', `order:${order.orderId}:${P2}`],
      [P3, 'BUY', '50', '10.3', undefined, '2026-03-03', `order:${order.orderId}:${P3}`],
    ]);
    expect(trades.map((trade) => trade.tradeId)).toEqual(allocated.allocations.map((a) => a.tradeId));
  });

  it('gives the rounding residual to the largest allocation, ties by portfolioId', () => {
    // 30.02 / 3 -> 10.00666667; 3 × 10.00666667 = 30.02000001; residual 30.02 − 30.02000001 = −0.00000001
    const order = filledOrder([
      ['1', '10'],
      ['2', '10.01'],
    ]);
    const tie = allocate(
      order,
      {
        allocations: [
          { portfolioId: P3, quantity: '1' },
          { portfolioId: P2, quantity: '1' },
          { portfolioId: P1, quantity: '1' },
        ],
      },
      portfoliosOf(portfolio(P1), portfolio(P2), portfolio(P3)),
      allocating,
    );
    expect(tie.allocations.map((a) => [a.portfolioId, a.residual])).toEqual([
      [P3, '0'],
      [P2, '0'],
      [P1, '-0.00000001'],
    ]);
    const largest = allocate(
      order,
      {
        allocations: [
          { portfolioId: P1, quantity: '1' },
          { portfolioId: P2, quantity: '2' },
        ],
      },
      portfoliosOf(portfolio(P1), portfolio(P2)),
      allocating,
    );
    expect(largest.allocations.map((a) => a.residual)).toEqual(['0', '-0.00000001']);
  });

  it('counts the multiplier in notionals and residual of options', () => {
    // 1 @ 3.10 + 2 @ 3.20 = 9.50 / 3 = 3.1666… -> 3.16666667; residual (9.5 − 3 × 3.16666667) × 100 = −0.000001
    const order = filledOrder(
      [
        ['1', '3.10'],
        ['2', '3.20'],
      ],
      { instrument: option },
    );
    const allocated = allocate(
      order,
      { allocations: [{ portfolioId: P1, quantity: '3' }] },
      portfoliosOf(portfolio(P1, { currency: 'USD', perContract: '0.65' })),
      allocating,
    );
    expect(allocated.allocations[0]).toMatchObject({
      price: '3.16666667',
      notional: '950.000001',
      residual: '-0.000001',
      fees: '1.95',
    });
  });

  it('refuses, in this order: no fills or already allocated (409), a portfolio not the caller’s (404), a wrong sum or a schedule in another currency (400)', () => {
    const portfolios = portfoliosOf(portfolio(P1), portfolio(P2, { currency: 'EUR', perShare: '0.01' }));
    const empty = newOrder({ side: 'BUY', instrument: aapl, quantity: '10', currency: 'USD' }, stamp());
    const body = { allocations: [{ portfolioId: P1, quantity: '10' }] };
    expect(() => allocate(empty, body, portfolios, allocating)).toThrow(ConflictError);
    const order = filledOrder([['10', '5']]);
    const allocated = allocate(order, body, portfolios, allocating);
    expect(() => allocate(allocated, body, portfolios, allocating)).toThrow(ConflictError);
    expect(() =>
      allocate(
        order,
        { allocations: [{ portfolioId: P3, quantity: '10' }] },
        new Map([[P3, undefined]]),
        allocating,
      ),
    ).toThrow(NotFoundError);
    expect(() =>
      allocate(order, { allocations: [{ portfolioId: P1, quantity: '9.999' }] }, portfolios, allocating),
    ).toThrow(
      expect.objectContaining({
        statusCode: 400,
        details: [
          { path: 'allocations', message: "quantities sum to 9.999; the order's filled quantity is 10" },
        ],
      }),
    );
    expect(() =>
      allocate(
        order,
        {
          allocations: [
            { portfolioId: P1, quantity: '4' },
            { portfolioId: P2, quantity: '6' },
          ],
        },
        portfolios,
        allocating,
      ),
    ).toThrow(
      expect.objectContaining({
        statusCode: 400,
        details: [
          {
            path: 'allocations.1.portfolioId',
            message: `portfolio ${P2} has a commission schedule in EUR; the order is in USD`,
          },
        ],
      }),
    );
  });
});

describe('allocation properties', () => {
  // Decimals as integer units of 0.0001: quantities and prices with up to 4 places.
  const units = (value: number) => new Decimal(value).div(10_000).toFixed();
  const fillArb = fc.tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 10_000_000 }));
  const scenarioArb = fc
    .record({
      fills: fc.array(fillArb, { minLength: 1, maxLength: 20 }),
      multiplier: fc.constantFrom('1', '100', '0.5'),
      parts: fc.integer({ min: 1, max: 12 }),
    })
    .chain(({ fills, multiplier, parts }) => {
      const total = fills.reduce((sum, [quantity]) => sum + quantity, 0);
      const count = Math.min(parts, total);
      return (
        fc
          // with a total of 1 there is nothing to cut (empty array), but the range must still be valid
          .uniqueArray(fc.integer({ min: 1, max: Math.max(1, total - 1) }), {
            minLength: count - 1,
            maxLength: count - 1,
          })
          .map((cuts) => {
            const bounds = [0, ...cuts.sort((a, b) => a - b), total];
            const quantities = bounds.slice(1).map((bound, index) => bound - (bounds[index] ?? 0));
            return { fills, multiplier, quantities };
          })
      );
    });

  it('allocates exactly the filled quantity and conserves notional: Σ notional + residual = Σ fill notional', () => {
    let rounded = 0;
    fc.assert(
      fc.property(scenarioArb, ({ fills, multiplier, quantities }) => {
        const instrument = { ...aapl, multiplier };
        const order = filledOrder(
          fills.map(([quantity, price]) => [units(quantity), units(price)]),
          { instrument },
        );
        const portfolioIds = quantities.map(
          (_, index) => `01J0000000000000000000PP${String(index).padStart(2, '0')}`,
        );
        const allocated = allocate(
          order,
          {
            allocations: quantities.map((quantity, index) => ({
              portfolioId: portfolioIds[index] ?? '',
              quantity: units(quantity),
            })),
          },
          portfoliosOf(...portfolioIds.map((id) => portfolio(id))),
          allocating,
        );
        const exactNotional = fills
          .reduce(
            (sum, [quantity, price]) => sum.plus(decimal(units(quantity)).times(units(price))),
            new Decimal(0),
          )
          .times(multiplier);
        const allocatedQuantity = sumDecimals(allocated.allocations.map((a) => a.quantity));
        const notional = sumDecimals(allocated.allocations.map((a) => a.notional));
        const residual = sumDecimals(allocated.allocations.map((a) => a.residual));
        expect(allocatedQuantity.eq(order.filledQuantity)).toBe(true);
        expect(notional.plus(residual).eq(exactNotional)).toBe(true);
        // the residual sits on one allocation, the largest, and is under half a unit of the 8th place per unit
        const carriers = allocated.allocations.filter((a) => !decimal(a.residual).eq(0));
        rounded += carriers.length;
        expect(carriers.length).toBeLessThanOrEqual(1);
        const largest = Math.max(...quantities);
        for (const carrier of carriers) expect(decimal(carrier.quantity).eq(units(largest))).toBe(true);
        expect(residual.abs().lte(allocatedQuantity.times('0.000000005').times(multiplier))).toBe(true);
        // every trade books its allocation's quantity at its price
        for (const trade of allocationTrades(allocated)) {
          const allocation = allocated.allocations.find((a) => a.tradeId === trade.tradeId);
          expect([trade.quantity, trade.price]).toEqual([allocation?.quantity, allocation?.price]);
        }
      }),
      { numRuns: 300 },
    );
    // guard: the generated fills do produce rounded averages, so the residual rule is exercised
    expect(rounded).toBeGreaterThan(50);
  });
});
