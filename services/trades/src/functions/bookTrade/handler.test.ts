import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeTradesEffects } from '../../testing/fake-effects';
import { buildHandler } from './handler';

const portfolio = {
  portfolioId: '01J000000000000000000000PF',
  name: 'P',
  baseCurrency: 'USD',
  lotMethod: 'FIFO' as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const request = (token: string, body: unknown, portfolioId = portfolio.portfolioId) => ({
  method: 'POST',
  path: `/portfolios/${portfolioId}/trades`,
  routePath: '/portfolios/{portfolioId}/trades',
  pathParameters: { portfolioId },
  token: tokens[token] ?? token,
  body,
});

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  for (const sub of ['alice', 'mallory']) tokens[`token-${sub}`] = await issuer.sign(sub);
});

describe('bookTrade handler', () => {
  it('stores the trade under the token subject, normalized and at version 1', async () => {
    const fake = fakeTradesEffects({ alice: [portfolio] });
    const response = await invoke(
      buildHandler(fake.effects),
      request('token-alice', {
        type: 'SELL_SHORT',
        instrument: {
          assetClass: 'OPTION',
          symbol: 'aapl261218c00200000',
          currency: 'USD',
          multiplier: '100',
          underlying: 'aapl',
          expiry: '2026-12-18',
          strike: '200.0',
          putCall: 'C',
        },
        quantity: '2',
        price: '3.15',
        currency: 'USD',
        tradeDate: '2026-03-02',
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(fake.trades).toHaveLength(1);
    expect(fake.trades[0]?.sub).toBe('alice');
    expect(fake.trades[0]?.trade).toMatchObject({
      instrumentKey: 'OPTION:AAPL:2026-12-18:200:C:USD',
      instrument: { symbol: 'AAPL261218C00200000', underlying: 'AAPL', strike: '200', multiplier: '100' },
      status: 'ACTIVE',
      version: 1,
      createdAt: '2026-11-24T10:00:00.000Z',
    });
    expect(response.headers.location).toBe(
      `/portfolios/${portfolio.portfolioId}/trades/${fake.trades[0]?.trade.tradeId}`,
    );
  });

  it("answers 404 for another user's portfolio and stores nothing", async () => {
    const fake = fakeTradesEffects({ alice: [portfolio] });
    const response = await invoke(
      buildHandler(fake.effects),
      request('token-mallory', { type: 'DEPOSIT', amount: '5', currency: 'USD', tradeDate: '2026-01-02' }),
    );
    expect(response.statusCode).toBe(404);
    expect(fake.trades).toHaveLength(0);
  });

  it('refuses an invalid body before touching the store', async () => {
    const fake = fakeTradesEffects({ alice: [portfolio] });
    const response = await invoke(
      buildHandler(fake.effects),
      request('token-alice', { type: 'DEPOSIT', currency: 'USD', tradeDate: '2026-01-02' }),
    );
    expect(response.statusCode).toBe(400);
    expect(fake.trades).toHaveLength(0);
  });
});
