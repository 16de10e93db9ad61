import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { type PriceProvider, ProviderError } from '../../domain/providers';
import { buildSimulatedProvider } from '../../domain/simulated-provider';
import { localEffects, runTicker } from '../../testing/local-effects';
import { buildHandler as buildRefresh } from '../refreshMarketData/handler';
import { buildHandler } from './handler';

// Tuesday 2026-11-24 16:00 UTC: the US session (14:30–21:00 UTC) is open.
const NOW = '2026-11-24T16:00:00.000Z';

const rateLimited = (): PriceProvider & { calls: number } => {
  const provider = {
    source: 'yahoo',
    calls: 0,
    async quote(): Promise<never> {
      provider.calls += 1;
      throw new ProviderError('yahoo', 'RATE_LIMITED', 'HTTP 429 (injected)');
    },
    async dailyCloses(): Promise<never> {
      provider.calls += 1;
      throw new ProviderError('yahoo', 'RATE_LIMITED', 'HTTP 429 (injected)');
    },
  };
  return provider;
};

describe('quotes against DynamoDB Local', () => {
  let alice: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-quotes-${Date.now()}`);
  });
  const getQuotes = (effects: ReturnType<typeof localEffects>, symbols: string) =>
    invoke(buildHandler(effects.effects), {
      method: 'GET',
      path: '/quotes',
      routePath: '/quotes',
      query: { symbols },
      token: alice,
    });

  it('answers from the fallback provider when the first is rate-limited, stores the quote and serves it next time', async () => {
    const symbol = runTicker('fallback');
    const yahoo = rateLimited();
    const local = localEffects([yahoo, buildSimulatedProvider()], NOW);

    const first = await getQuotes(local, symbol);
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatchObject([
      { symbol, source: 'simulated', currency: 'USD', time: NOW, stale: false },
    ]);
    expect(yahoo.calls).toBe(3);

    // stored in the table: a second request is answered without any provider
    const stored = await local.store.feedQuote(symbol, NOW);
    expect(stored.quote).toMatchObject({ symbol, source: 'simulated', time: NOW });
    const second = await getQuotes(local, symbol);
    expect(second.body).toEqual(first.body);
    expect(yahoo.calls).toBe(3);
    // and the symbol is on the refresh list
    expect(await local.store.trackedSymbols(NOW)).toContain(symbol);
  });

  it('never moves a stored quote back to an older time', async () => {
    const symbol = runTicker('older');
    const local = localEffects([], NOW);
    const base = { symbol, currency: 'USD', source: 'yahoo' };
    expect(await local.store.putFeedQuote({ ...base, price: '2', time: '2026-11-24T15:00:00.000Z' })).toBe(
      true,
    );
    expect(await local.store.putFeedQuote({ ...base, price: '1', time: '2026-11-24T14:45:00.000Z' })).toBe(
      false,
    );
    expect((await local.store.feedQuote(symbol, NOW)).quote?.price).toBe('2');
  });

  it('refreshes tracked symbols: two years of closes on first sight, then only new ones; a failing provider is reported, not fatal', async () => {
    const symbol = runTicker('refresh');
    const local = localEffects([buildSimulatedProvider()], NOW);
    await local.store.trackSymbol(symbol, NOW);
    const summary = await buildRefresh(local.effects)();
    expect(summary.failures).toEqual([]);
    expect(summary.quotes).toBeGreaterThanOrEqual(1);
    // 731 days back from 2026-11-24 is 2024-11-23 (a Saturday): weekdays 2024-11-25 … 2026-11-24 are
    // 104 weeks (520) and Monday 2026-11-23, Tuesday 2026-11-24 = 522
    const history = await local.store.listCloses('nobody', symbol, {}, { limit: 1000, cursor: undefined });
    expect(history.items).toHaveLength(522);
    expect(history.items[0]?.date).toBe('2024-11-25');
    expect(history.items.at(-1)?.date).toBe('2026-11-24');
    expect(new Set(history.items.map((close) => close.source))).toEqual(new Set(['simulated']));

    // a second run rewrites the last date only; the count stays
    await buildRefresh(local.effects)();
    expect(
      (await local.store.listCloses('nobody', symbol, {}, { limit: 1000, cursor: undefined })).items,
    ).toHaveLength(522);

    const broken = localEffects([rateLimited()], NOW);
    const failed = await buildRefresh(broken.effects)();
    expect(failed.failures).toContain(symbol);
    // three refresh runs over every symbol and pair tracked in this DynamoDB Local, two years of closes each
  }, 60_000);
});
