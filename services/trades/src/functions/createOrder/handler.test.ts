import { invoke, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeOrdersEffects } from '../../testing/fake-orders';
import { buildHandler } from './handler';

const option = {
  assetClass: 'OPTION',
  symbol: 'aapl261218c00200000',
  currency: 'USD',
  multiplier: '100',
  underlying: 'aapl',
  expiry: '2026-12-18',
  strike: '200.0',
  putCall: 'C',
};

let token: string;
beforeAll(async () => {
  token = await (await useTestIssuer()).sign('alice');
});

const create = (fake: ReturnType<typeof fakeOrdersEffects>, body: unknown) =>
  invoke(buildHandler(fake.effects), { method: 'POST', path: '/orders', token, body });

describe('createOrder handler', () => {
  it('opens an order for the token subject with its instrument normalized and keyed', async () => {
    const fake = fakeOrdersEffects();
    const response = await create(fake, {
      side: 'SELL_SHORT',
      instrument: option,
      quantity: '20',
      currency: 'USD',
      limitPrice: '3.10',
    });
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      orderId: '01J00000000000000000000000',
      side: 'SELL_SHORT',
      instrument: { ...option, symbol: 'AAPL261218C00200000', underlying: 'AAPL', strike: '200' },
      instrumentKey: 'OPTION:AAPL:2026-12-18:200:C:USD',
      quantity: '20',
      currency: 'USD',
      limitPrice: '3.10',
      filledQuantity: '0',
      averagePrice: null,
      status: 'OPEN',
      fills: [],
      allocations: [],
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
    });
    expect(response.headers.location).toBe('/orders/01J00000000000000000000000');
    expect(fake.orders.items.get('alice/01J00000000000000000000000')?.order).toEqual(response.body);
  });

  it('refuses a currency other than the instrument’s, an unknown side and an owner field, storing nothing', async () => {
    const fake = fakeOrdersEffects();
    const base = { side: 'BUY', instrument: { ...option, currency: 'EUR' }, quantity: '1', currency: 'USD' };
    const responses = await Promise.all([
      create(fake, base),
      create(fake, { ...base, instrument: option, side: 'HOLD' }),
      create(fake, { ...base, instrument: option, owner: 'mallory' }),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([400, 400, 400]);
    expect(responses[0]?.body).toMatchObject({ error: { details: [{ path: 'currency' }] } });
    expect(fake.orders.items.size).toBe(0);
  });
});
