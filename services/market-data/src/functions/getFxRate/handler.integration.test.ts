import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { buildSimulatedProvider } from '../../domain/simulated-provider';
import { localEffects } from '../../testing/local-effects';
import { buildHandler as buildPutRates } from '../putManualFxRates/handler';
import { buildHandler } from './handler';

const NOW = '2026-11-24T16:00:00.000Z';

describe('FX rates against DynamoDB Local', () => {
  let alice: string;
  let bob: string;
  // no provider: only what is stored answers (the simulated feed is asked in the last test)
  const local = localEffects([], NOW);
  beforeAll(async () => {
    alice = await tokenFor(`alice-fx-${Date.now()}`);
    bob = await tokenFor(`bob-fx-${Date.now()}`);
  });
  const getFx = (token: string, query: Record<string, string>, effects = local.effects) =>
    invoke(buildHandler(effects), { method: 'GET', path: '/fx', routePath: '/fx', query, token });
  const putFx = (token: string, base: string, quote: string, body: unknown) =>
    invoke(buildPutRates(local.effects), {
      method: 'PUT',
      path: `/fx/${base}/${quote}`,
      routePath: '/fx/{base}/{quote}',
      pathParameters: { base, quote },
      token,
      body,
    });

  it("stores the caller's rates and answers them, the pair's inverse as 1 / rate", async () => {
    // ISK/NOK: a pair no other test touches
    const stored = await putFx(alice, 'ISK', 'NOK', {
      rates: [
        { date: '2026-11-20', rate: '0.08' },
        { date: '2026-11-23', rate: '0.0625' },
      ],
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.body).toEqual({
      base: 'ISK',
      quote: 'NOK',
      written: 2,
      latest: { date: '2026-11-23', rate: '0.0625' },
    });

    expect((await getFx(alice, { base: 'ISK', quote: 'NOK' })).body).toEqual({
      base: 'ISK',
      quote: 'NOK',
      date: '2026-11-23',
      rate: '0.0625',
      source: 'manual',
    });
    // 1 / 0.0625 = 16 exactly; 1 / 0.08 = 12.5
    expect((await getFx(alice, { base: 'NOK', quote: 'ISK' })).body).toMatchObject({
      date: '2026-11-23',
      rate: '16',
    });
    expect((await getFx(alice, { base: 'NOK', quote: 'ISK', date: '2026-11-22' })).body).toMatchObject({
      date: '2026-11-20',
      rate: '12.5',
    });
  });

  it('answers 404 with a clear message outside the 7-day window, and for another user', async () => {
    const early = await getFx(alice, { base: 'ISK', quote: 'NOK', date: '2026-11-12' });
    expect(early.statusCode).toBe(404);
    expect(early.body).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'No ISK/NOK rate on or within 7 days before 2026-11-12: store one with PUT /fx/ISK/NOK',
      },
    });
    expect((await getFx(bob, { base: 'ISK', quote: 'NOK' })).statusCode).toBe(404);
  });

  it('answers 1 for a currency against itself and refuses a pair of one currency on PUT', async () => {
    expect((await getFx(alice, { base: 'EUR', quote: 'EUR', date: '2026-01-02' })).body).toEqual({
      base: 'EUR',
      quote: 'EUR',
      date: '2026-01-02',
      rate: '1',
      source: 'identity',
    });
    const same = await putFx(alice, 'EUR', 'EUR', { rates: [{ date: '2026-01-02', rate: '1' }] });
    expect(same.statusCode).toBe(400);
  });

  it('asks the feed once when nothing is stored, stores its rates and serves them from the table afterwards', async () => {
    const feed = localEffects([buildSimulatedProvider()], NOW);
    const first = await getFx(alice, { base: 'SEK', quote: 'DKK', date: '2026-11-21' }, feed.effects);
    // 2026-11-21 is a Saturday: Friday's rate answers
    expect(first.body).toMatchObject({ base: 'SEK', quote: 'DKK', date: '2026-11-20', source: 'simulated' });
    // the table now has it: the provider-less effects answer the same
    expect((await getFx(alice, { base: 'SEK', quote: 'DKK', date: '2026-11-21' })).body).toEqual(first.body);
    expect(await feed.store.trackedPairs(NOW)).toContainEqual({ base: 'SEK', quote: 'DKK' });
  });
});
