import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeMarketDataEffects } from '../../testing/fake-effects';
import { buildHandler as buildGetFx } from '../getFxRate/handler';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  for (const sub of ['alice', 'bob']) tokens[sub] = await issuer.sign(sub);
});

type Fake = ReturnType<typeof fakeMarketDataEffects>;
const put = (fake: Fake, user: string, base: string, quote: string, body: unknown) =>
  invoke(buildHandler(fake.effects), {
    method: 'PUT',
    path: `/fx/${base}/${quote}`,
    routePath: '/fx/{base}/{quote}',
    pathParameters: { base, quote },
    token: tokens[user] ?? user,
    body,
  });
const get = (fake: Fake, user: string, query: Record<string, string>) =>
  invoke(buildGetFx(fake.effects), {
    method: 'GET',
    path: '/fx',
    routePath: '/fx',
    query,
    token: tokens[user] ?? user,
  });

describe('manual FX rates', () => {
  it("stores the caller's rates under the caller only and answers the latest", async () => {
    const fake = fakeMarketDataEffects();
    const response = await put(fake, 'alice', 'EUR', 'USD', {
      rates: [
        { date: '2026-03-03', rate: '1.09' },
        { date: '2026-03-02', rate: '1.08' },
      ],
    });
    expect(response.body).toEqual({
      base: 'EUR',
      quote: 'USD',
      written: 2,
      latest: { date: '2026-03-03', rate: '1.09' },
    });
    expect([...(fake.manualFx.get('alice|EUR/USD')?.keys() ?? [])].sort()).toEqual([
      '2026-03-02',
      '2026-03-03',
    ]);
    expect(fake.manualFx.has('bob|EUR/USD')).toBe(false);
    // no provider in this fake: bob has no rate at all
    expect((await get(fake, 'bob', { base: 'EUR', quote: 'USD' })).statusCode).toBe(404);
    // alice's inverse: 1 / 1.09 = 0.917431192660550… → 0.917431192661
    expect((await get(fake, 'alice', { base: 'USD', quote: 'EUR' })).body).toEqual({
      base: 'USD',
      quote: 'EUR',
      date: '2026-03-03',
      rate: '0.917431192661',
      source: 'manual',
    });
  });

  it.each([
    ['a pair of one currency', 'EUR', 'EUR', { rates: [{ date: '2026-03-02', rate: '1' }] }, 'path.quote'],
    ['a lower-case currency', 'eur', 'USD', { rates: [{ date: '2026-03-02', rate: '1' }] }, 'path.base'],
    ['a zero rate', 'EUR', 'USD', { rates: [{ date: '2026-03-02', rate: '0' }] }, 'rates.0.rate'],
    ['no rates', 'EUR', 'USD', { rates: [] }, 'rates'],
    [
      'a repeated date',
      'EUR',
      'USD',
      {
        rates: [
          { date: '2026-03-02', rate: '1' },
          { date: '2026-03-02', rate: '2' },
        ],
      },
      'rates.1.date',
    ],
    ['an owner field', 'EUR', 'USD', { rates: [{ date: '2026-03-02', rate: '1' }], ownerSub: 'bob' }, ''],
  ])('refuses %s with 400 before touching the store', async (_name, base, quote, body, path) => {
    const fake = fakeMarketDataEffects();
    const response = await put(fake, 'alice', base, quote, body);
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((detail) => detail.path)).toContain(path);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a GET /fx without a pair or with a bad date, and any call without a token', async () => {
    const fake = fakeMarketDataEffects();
    expect((await get(fake, 'alice', { base: 'EUR' })).statusCode).toBe(400);
    expect((await get(fake, 'alice', { base: 'EUR', quote: 'USD', date: '2026-02-30' })).statusCode).toBe(
      400,
    );
    expect((await get(fake, 'not-a-token', { base: 'EUR', quote: 'USD' })).statusCode).toBe(401);
    expect(fake.calls).toEqual([]);
  });
});
