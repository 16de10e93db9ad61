import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { main as getPriceHistory } from '../getPriceHistory/handler';
import { main as putManualPrices } from './handler';

type History = {
  items: { date: string; close: string; currency: string; source: string }[];
  nextCursor: string | null;
};

const put = (token: string, symbol: string, body: unknown) =>
  invoke(putManualPrices, {
    method: 'PUT',
    path: `/instruments/${symbol}/prices`,
    routePath: '/instruments/{symbol}/prices',
    pathParameters: { symbol },
    token,
    body,
  });
const history = (token: string, symbol: string, query: Record<string, string> = {}) =>
  invoke(getPriceHistory, {
    method: 'GET',
    path: `/instruments/${symbol}/history`,
    routePath: '/instruments/{symbol}/history',
    pathParameters: { symbol },
    query,
    token,
  });

// 60 consecutive days from 2026-01-01 (more than two BatchWriteItem chunks of 25); close = "100.<day index>".
const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
const sixtyCloses = Array.from({ length: 60 }, (_, index) => ({
  date: day(index),
  close: `100.${String(index).padStart(2, '0')}`,
}));

describe('manual prices against DynamoDB Local', () => {
  const run = Date.now();
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-prices-${run}`);
    bob = await tokenFor(`bob-prices-${run}`);
  });

  it('writes 60 closes in chunks and reads them back in date order, page by page', async () => {
    // Arrange: sent newest first, so date order must come from the store
    const response = await put(alice, 'kpl', { currency: 'USD', prices: [...sixtyCloses].reverse() });

    // Assert: day index 59 is 2026-03-01 (January 31 + February 28 = 59 days after 2026-01-01)
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      symbol: 'KPL',
      currency: 'USD',
      written: 60,
      latest: { date: '2026-03-01', close: '100.59' },
    });

    const pages: History[] = [];
    let cursor: string | undefined;
    do {
      const page = await history(alice, 'KPL', { limit: '25', ...(cursor === undefined ? {} : { cursor }) });
      expect(page.statusCode).toBe(200);
      pages.push(page.body as History);
      cursor = (page.body as History).nextCursor ?? undefined;
    } while (cursor !== undefined);
    const items = pages.flatMap((page) => page.items);
    expect(items).toHaveLength(60);
    expect(items.map((item) => item.date)).toEqual(sixtyCloses.map((close) => close.date));
    expect(items[0]).toEqual({ date: '2026-01-01', close: '100.00', currency: 'USD', source: 'manual' });
  });

  it('filters by an inclusive date range', async () => {
    const response = await history(alice, 'KPL', { from: '2026-02-27', to: '2026-03-01' });
    expect((response.body as History).items.map((item) => `${item.date}=${item.close}`)).toEqual([
      // day indexes 57, 58, 59
      '2026-02-27=100.57',
      '2026-02-28=100.58',
      '2026-03-01=100.59',
    ]);
  });

  it('replaces the close of a date that is sent again', async () => {
    const response = await put(alice, 'KPL', {
      currency: 'USD',
      prices: [{ date: '2026-01-01', close: '99.5' }],
    });
    expect(response.body).toMatchObject({ written: 1, latest: { date: '2026-03-01', close: '100.59' } });
    const first = await history(alice, 'KPL', { to: '2026-01-01' });
    expect((first.body as History).items).toEqual([
      { date: '2026-01-01', close: '99.5', currency: 'USD', source: 'manual' },
    ]);
  });

  it('keeps one currency per series: another one answers 409 and changes nothing', async () => {
    const response = await put(alice, 'KPL', {
      currency: 'EUR',
      prices: [{ date: '2026-03-02', close: '1' }],
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Manual prices of KPL are kept in USD; send them in that currency',
      },
    });
    expect((await history(alice, 'KPL', { from: '2026-03-02' })).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("never shows one user's manual prices to another, nor lets them move them", async () => {
    expect((await history(bob, 'KPL')).body).toEqual({ items: [], nextCursor: null });

    const bobs = await put(bob, 'KPL', { currency: 'EUR', prices: [{ date: '2026-03-01', close: '7' }] });
    expect(bobs.body).toEqual({
      symbol: 'KPL',
      currency: 'EUR',
      written: 1,
      latest: { date: '2026-03-01', close: '7' },
    });

    const alices = await history(alice, 'KPL', { from: '2026-03-01' });
    expect((alices.body as History).items).toEqual([
      { date: '2026-03-01', close: '100.59', currency: 'USD', source: 'manual' },
    ]);

    // a cursor into alice's series is refused for bob, not followed
    const forged = Buffer.from(
      JSON.stringify({ pk: 'USER#someone-else#PRICE#KPL', sk: 'DATE#2026-01-01' }),
    ).toString('base64url');
    expect((await history(bob, 'KPL', { cursor: forged })).statusCode).toBe(400);
  });
});
