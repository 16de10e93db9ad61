import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeMarketDataEffects } from '../../testing/fake-effects';
import { buildHandler as buildPutHandler } from '../putManualPrices/handler';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  for (const sub of ['alice', 'bob']) tokens[sub] = await issuer.sign(sub);
});

type Fake = ReturnType<typeof fakeMarketDataEffects>;
const history = (fake: Fake, user: string, symbol: string, query: Record<string, string> = {}) =>
  invoke(buildHandler(fake.effects), {
    method: 'GET',
    path: `/instruments/${symbol}/history`,
    routePath: '/instruments/{symbol}/history',
    pathParameters: { symbol },
    query,
    token: tokens[user] ?? user,
  });

const seed = async (
  fake: Fake,
  user: string,
  symbol: string,
  currency: string,
  prices: [string, string][],
) => {
  const response = await invoke(buildPutHandler(fake.effects), {
    method: 'PUT',
    path: `/instruments/${symbol}/prices`,
    routePath: '/instruments/{symbol}/prices',
    pathParameters: { symbol },
    token: tokens[user] ?? user,
    body: { currency, prices: prices.map(([date, close]) => ({ date, close })) },
  });
  expect(response.statusCode).toBe(200);
};

describe('getPriceHistory handler', () => {
  it("lists the caller's closes of the symbol in date order within the inclusive range", async () => {
    const fake = fakeMarketDataEffects();
    await seed(fake, 'alice', 'AAPL', 'USD', [
      ['2026-03-05', '193'],
      ['2026-03-02', '190.50'],
      ['2026-03-04', '192.1'],
      ['2026-03-03', '191'],
    ]);
    const response = await history(fake, 'alice', 'aapl', { from: '2026-03-03', to: '2026-03-04' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      items: [
        { date: '2026-03-03', close: '191', currency: 'USD', source: 'manual' },
        { date: '2026-03-04', close: '192.1', currency: 'USD', source: 'manual' },
      ],
      nextCursor: null,
    });
    expect(fake.calls.slice(-2)).toEqual([
      { method: 'listCloses', sub: 'alice', symbol: 'AAPL' },
      // no feed close yet: the symbol goes on the refresh list, which backfills the feed's closes
      { method: 'trackSymbol', symbol: 'AAPL' },
    ]);
  });

  it("merges the feed's closes with the caller's, the manual close winning on the same date", async () => {
    const fake = fakeMarketDataEffects();
    fake.feedCloses.set('AAPL', {
      currency: 'USD',
      source: 'yahoo',
      closes: new Map([
        ['2026-03-02', '189.84'],
        ['2026-03-03', '191.28'],
      ]),
    });
    await seed(fake, 'alice', 'AAPL', 'USD', [['2026-03-03', '191.5']]);
    const response = await history(fake, 'alice', 'AAPL');
    expect(response.body).toEqual({
      items: [
        { date: '2026-03-02', close: '189.84', currency: 'USD', source: 'yahoo' },
        { date: '2026-03-03', close: '191.5', currency: 'USD', source: 'manual' },
      ],
      nextCursor: null,
    });
    // bob sees the feed only
    expect((await history(fake, 'bob', 'AAPL')).body).toMatchObject({
      items: [{ close: '189.84' }, { close: '191.28', source: 'yahoo' }],
    });
    expect(fake.tracked.has('AAPL')).toBe(false);
  });

  it("does not show another user's manual prices", async () => {
    const fake = fakeMarketDataEffects();
    await seed(fake, 'alice', 'AAPL', 'USD', [['2026-03-02', '190.50']]);
    const response = await history(fake, 'bob', 'AAPL');
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('passes the page size on and returns the next cursor', async () => {
    const fake = fakeMarketDataEffects();
    await seed(fake, 'alice', 'AAPL', 'USD', [
      ['2026-03-02', '1'],
      ['2026-03-03', '2'],
      ['2026-03-04', '3'],
    ]);
    const first = await history(fake, 'alice', 'AAPL', { limit: '2' });
    const page = first.body as { items: { date: string }[]; nextCursor: string };
    expect(page.items.map((item) => item.date)).toEqual(['2026-03-02', '2026-03-03']);
    const second = await history(fake, 'alice', 'AAPL', { limit: '2', cursor: page.nextCursor });
    expect(second.body).toMatchObject({ items: [{ date: '2026-03-04' }], nextCursor: null });
  });

  it.each([
    [{ from: '2026-03-05', to: '2026-03-04' }, 'query.to'],
    [{ from: '2026-3-5' }, 'query.from'],
    [{ limit: '0' }, 'query.limit'],
    [{ limit: '501' }, 'query.limit'],
    [{ owner: 'bob' }, 'query'],
  ])('refuses the query %j with 400 naming %s', async (query, path) => {
    const fake = fakeMarketDataEffects();
    const response = await history(fake, 'alice', 'AAPL', query);
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((detail) => detail.path)).toContain(path);
    expect(fake.calls).toEqual([]);
  });
});
