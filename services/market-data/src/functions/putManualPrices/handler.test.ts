import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeMarketDataEffects } from '../../testing/fake-effects';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  for (const sub of ['alice', 'bob']) tokens[sub] = await issuer.sign(sub);
});

const put = (fake: ReturnType<typeof fakeMarketDataEffects>, user: string, symbol: string, body: unknown) =>
  invoke(buildHandler(fake.effects), {
    method: 'PUT',
    path: `/instruments/${symbol}/prices`,
    routePath: '/instruments/{symbol}/prices',
    pathParameters: { symbol },
    token: tokens[user] ?? user,
    body,
  });

describe('putManualPrices handler', () => {
  it('stores closes under the caller and the upper-case symbol and answers the latest one', async () => {
    const fake = fakeMarketDataEffects();
    // Sent out of date order: the latest is 2026-03-04 whatever the order of the request.
    const response = await put(fake, 'alice', 'aapl', {
      currency: 'USD',
      prices: [
        { date: '2026-03-04', close: '192.10' },
        { date: '2026-03-02', close: '190.50' },
        { date: '2026-03-03', close: '191' },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      symbol: 'AAPL',
      currency: 'USD',
      written: 3,
      latest: { date: '2026-03-04', close: '192.10' },
    });
    expect(fake.calls.map((call) => `${call.method}:${call.sub}:${call.symbol}`)).toEqual([
      'claimCurrency:alice:AAPL',
      'writeCloses:alice:AAPL',
      'latestClose:alice:AAPL',
    ]);
  });

  it('answers the latest stored close, which may come from an earlier request', async () => {
    const fake = fakeMarketDataEffects();
    await put(fake, 'alice', 'MSFT', { currency: 'USD', prices: [{ date: '2026-05-01', close: '400' }] });
    const backfill = await put(fake, 'alice', 'MSFT', {
      currency: 'USD',
      prices: [{ date: '2026-01-02', close: '380.25' }],
    });
    expect(backfill.body).toMatchObject({ written: 1, latest: { date: '2026-05-01', close: '400' } });
  });

  it('refuses another currency for a series with 409 and writes nothing', async () => {
    const fake = fakeMarketDataEffects();
    await put(fake, 'alice', 'SAP', { currency: 'EUR', prices: [{ date: '2026-03-02', close: '180' }] });
    const response = await put(fake, 'alice', 'SAP', {
      currency: 'USD',
      prices: [{ date: '2026-03-03', close: '195' }],
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Manual prices of SAP are kept in EUR; send them in that currency',
      },
    });
    expect([...(fake.series.get('alice|SAP')?.closes.keys() ?? [])]).toEqual(['2026-03-02']);
  });

  it("keeps each user's series apart: another user may use another currency", async () => {
    const fake = fakeMarketDataEffects();
    await put(fake, 'alice', 'SAP', { currency: 'EUR', prices: [{ date: '2026-03-02', close: '180' }] });
    const response = await put(fake, 'bob', 'SAP', {
      currency: 'USD',
      prices: [{ date: '2026-03-02', close: '195' }],
    });
    expect(response.statusCode).toBe(200);
    expect(fake.series.get('alice|SAP')?.closes.get('2026-03-02')).toBe('180');
    expect(fake.series.get('bob|SAP')?.closes.get('2026-03-02')).toBe('195');
  });

  it.each([
    [
      'a zero close',
      { currency: 'USD', prices: [{ date: '2026-03-02', close: '0' }] },
      'prices.0.close',
      'must be greater than 0',
    ],
    [
      'a negative close',
      { currency: 'USD', prices: [{ date: '2026-03-02', close: '-1.5' }] },
      'prices.0.close',
      'must be greater than 0',
    ],
    [
      'a JSON number close',
      { currency: 'USD', prices: [{ date: '2026-03-02', close: 190.5 }] },
      'prices.0.close',
      undefined,
    ],
    [
      'an impossible date',
      { currency: 'USD', prices: [{ date: '2026-02-30', close: '1' }] },
      'prices.0.date',
      'must be a calendar date YYYY-MM-DD',
    ],
    ['no prices', { currency: 'USD', prices: [] }, 'prices', 'must contain at least one price'],
    [
      'a lower-case currency',
      { currency: 'usd', prices: [{ date: '2026-03-02', close: '1' }] },
      'currency',
      undefined,
    ],
    [
      'an owner field',
      { currency: 'USD', prices: [{ date: '2026-03-02', close: '1' }], ownerSub: 'bob' },
      '',
      undefined,
    ],
  ])('refuses %s with 400 before touching the store', async (_name, body, path, message) => {
    const fake = fakeMarketDataEffects();
    const response = await put(fake, 'alice', 'AAPL', body);
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string; message: string }[] } }).error
      .details;
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path, ...(message === undefined ? {} : { message }) }),
      ]),
    );
    expect(fake.calls).toEqual([]);
  });

  it('names a repeated date by its position and the position it repeats', async () => {
    const fake = fakeMarketDataEffects();
    const response = await put(fake, 'alice', 'AAPL', {
      currency: 'USD',
      prices: [
        { date: '2026-03-02', close: '1' },
        { date: '2026-03-03', close: '2' },
        { date: '2026-03-02', close: '3' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect((response.body as { error: { details: unknown[] } }).error.details).toEqual([
      {
        path: 'prices.2.date',
        message: 'repeats the date of prices.0 (2026-03-02): send one close per date',
      },
    ]);
    expect(fake.calls).toEqual([]);
  });

  it('accepts 5000 prices and refuses 5001', async () => {
    const day = (offset: number) => new Date(Date.UTC(2000, 0, 1 + offset)).toISOString().slice(0, 10);
    const prices = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ date: day(index), close: '1' }));
    const fake = fakeMarketDataEffects();
    const accepted = await put(fake, 'alice', 'IDX', { currency: 'USD', prices: prices(5000) });
    // The 5000th date is 2000-01-01 + 4999 days: 2000..2012 hold 13 * 365 + 4 leap days = 4749 days up to
    // 2013-01-01; the remaining 250 days are January..August 2013 (243) + 7 = 2013-09-08.
    expect(accepted.body).toMatchObject({ written: 5000, latest: { date: '2013-09-08', close: '1' } });
    const refused = await put(fake, 'alice', 'IDX', { currency: 'USD', prices: prices(5001) });
    expect(refused.statusCode).toBe(400);
  });

  it('refuses a symbol with the key separator and a missing token', async () => {
    const fake = fakeMarketDataEffects();
    const body = { currency: 'USD', prices: [{ date: '2026-03-02', close: '1' }] };
    expect((await put(fake, 'alice', 'A#B', body)).statusCode).toBe(400);
    expect((await put(fake, 'not-a-token', 'AAPL', body)).statusCode).toBe(401);
    expect(fake.calls).toEqual([]);
  });
});
