import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { type PriceProvider, ProviderError, type ProviderFailureKind } from '../../domain/providers';
import { buildSimulatedProvider } from '../../domain/simulated-provider';
import { fakeMarketDataEffects } from '../../testing/fake-effects';
import { buildHandler as buildPutPrices } from '../putManualPrices/handler';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  for (const sub of ['alice', 'bob']) tokens[sub] = await issuer.sign(sub);
});

// Tuesday 2026-11-24 10:00 UTC: the US market last closed on Monday at 21:00 UTC, so a US price is stale
// when older than Monday 20:30 UTC (30 minutes of grace).
const NOW = '2026-11-24T10:00:00.000Z';
type Fake = ReturnType<typeof fakeMarketDataEffects>;
type QuoteBody = {
  symbol: string;
  price: string;
  source: string;
  stale: boolean;
  time: string;
  currency: string;
}[];

const quotes = (fake: Fake, user: string, symbols: string) =>
  invoke(buildHandler(fake.effects), {
    method: 'GET',
    path: '/quotes',
    routePath: '/quotes',
    query: { symbols },
    token: tokens[user] ?? user,
  });

/** A provider that always fails with `kind`, counting its calls. */
const failing = (source: string, kind: ProviderFailureKind) => {
  const calls: string[] = [];
  const provider: PriceProvider = {
    source,
    async quote(symbol) {
      calls.push(symbol);
      throw new ProviderError(source, kind, `${kind} (test)`);
    },
    async dailyCloses() {
      throw new ProviderError(source, kind, `${kind} (test)`);
    },
  };
  return { provider, calls };
};

const fixedQuote = (source: string, price: string, time: string): PriceProvider => ({
  source,
  async quote(symbol) {
    return { symbol, price, currency: 'USD', time, previousClose: '1' };
  },
  async dailyCloses() {
    throw new ProviderError(source, 'UNAVAILABLE', 'not used');
  },
});

describe('getQuotes handler', () => {
  it('falls back to the next provider when the first is rate-limited, and says so in source', async () => {
    const yahoo = failing('yahoo', 'RATE_LIMITED');
    const fake = fakeMarketDataEffects({ providers: [yahoo.provider, buildSimulatedProvider()], now: NOW });
    const response = await quotes(fake, 'alice', 'AAPL,MSFT');
    expect(response.statusCode).toBe(200);
    const body = response.body as QuoteBody;
    expect(body.map((quote) => [quote.symbol, quote.source, quote.stale])).toEqual([
      ['AAPL', 'simulated', false],
      ['MSFT', 'simulated', false],
    ]);
    // the simulated market's Monday close, at 21:00 UTC
    expect(body[0]?.time).toBe('2026-11-23T21:00:00.000Z');
    // yahoo was tried twice per symbol (the fake chain's maxAttempts), then the fallback answered
    expect(yahoo.calls.sort()).toEqual(['AAPL', 'AAPL', 'MSFT', 'MSFT']);
    expect(fake.feedQuotes.get('AAPL')?.source).toBe('simulated');
    expect([...fake.tracked].sort()).toEqual(['AAPL', 'MSFT']);
  });

  it('serves a fresh stored quote without asking any provider', async () => {
    const yahoo = failing('yahoo', 'UNAVAILABLE');
    const fake = fakeMarketDataEffects({ providers: [yahoo.provider], now: NOW });
    fake.feedQuotes.set('AAPL', {
      symbol: 'AAPL',
      price: '190.5',
      currency: 'USD',
      time: '2026-11-23T20:59:00.000Z',
      source: 'yahoo',
    });
    const response = await quotes(fake, 'alice', 'aapl, AAPL');
    expect(response.body).toEqual([
      {
        symbol: 'AAPL',
        price: '190.5',
        currency: 'USD',
        time: '2026-11-23T20:59:00.000Z',
        source: 'yahoo',
        stale: false,
      },
    ]);
    expect(yahoo.calls).toEqual([]);
  });

  it('keeps a stale stored quote, flagged stale, when no provider answers', async () => {
    const fake = fakeMarketDataEffects({ providers: [failing('yahoo', 'UNAVAILABLE').provider], now: NOW });
    // Friday's close: older than Monday 20:30 UTC
    fake.feedQuotes.set('AAPL', {
      symbol: 'AAPL',
      price: '188',
      currency: 'USD',
      time: '2026-11-20T21:00:00.000Z',
      source: 'yahoo',
    });
    const response = await quotes(fake, 'alice', 'AAPL');
    expect(response.body).toEqual([
      {
        symbol: 'AAPL',
        price: '188',
        currency: 'USD',
        time: '2026-11-20T21:00:00.000Z',
        source: 'yahoo',
        stale: true,
      },
    ]);
    expect(fake.warnings.map((warning) => warning.details.symbol)).toEqual(['AAPL']);
  });

  it("prefers the caller's manual close of the same date or later, and only the caller's", async () => {
    const fake = fakeMarketDataEffects({
      providers: [fixedQuote('yahoo', '190', '2026-11-23T20:59:00.000Z')],
      now: NOW,
    });
    const put = await invoke(buildPutPrices(fake.effects), {
      method: 'PUT',
      path: '/instruments/AAPL/prices',
      routePath: '/instruments/{symbol}/prices',
      pathParameters: { symbol: 'AAPL' },
      token: tokens.alice ?? '',
      body: { currency: 'USD', prices: [{ date: '2026-11-23', close: '191.25' }] },
    });
    expect(put.statusCode).toBe(200);
    expect(await quotes(fake, 'alice', 'AAPL').then((response) => response.body)).toEqual([
      // a manual close counts as of its session's close, Monday 21:00 UTC: fresh
      {
        symbol: 'AAPL',
        price: '191.25',
        currency: 'USD',
        time: '2026-11-23T21:00:00.000Z',
        source: 'manual',
        stale: false,
      },
    ]);
    expect(await quotes(fake, 'bob', 'AAPL').then((response) => response.body)).toMatchObject([
      { price: '190', source: 'yahoo' },
    ]);
  });

  it('leaves out a symbol no provider knows, and does not ask again on the next request', async () => {
    const yahoo = failing('yahoo', 'NOT_FOUND');
    const fake = fakeMarketDataEffects({ providers: [yahoo.provider], now: NOW });
    expect((await quotes(fake, 'alice', 'ZZZZ')).body).toEqual([]);
    expect((await quotes(fake, 'alice', 'ZZZZ')).body).toEqual([]);
    // NOT_FOUND is not retried, and the second request finds the "unknown to the feed" mark
    expect(yahoo.calls).toEqual(['ZZZZ']);
  });

  it.each([
    [{}, 'query.symbols'],
    [{ symbols: '' }, 'query.symbols'],
    [{ symbols: 'AAPL,A:B' }, 'query.symbols'],
    [{ symbols: Array.from({ length: 51 }, (_, index) => `S${index}`).join(',') }, 'query.symbols'],
    [{ symbols: 'AAPL', owner: 'bob' }, 'query'],
  ])('refuses %j with 400 naming %s before touching anything', async (query, path) => {
    const fake = fakeMarketDataEffects({ now: NOW });
    const response = await invoke(buildHandler(fake.effects), {
      method: 'GET',
      path: '/quotes',
      routePath: '/quotes',
      query: query as Record<string, string>,
      token: tokens.alice ?? '',
    });
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((detail) => detail.path)).toContain(path);
    expect(fake.calls).toEqual([]);
  });

  it('accepts 50 symbols and refuses a request without a token', async () => {
    const fake = fakeMarketDataEffects({ providers: [buildSimulatedProvider()], now: NOW });
    const fifty = Array.from(
      { length: 50 },
      (_, index) =>
        `S${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + Math.floor(index / 26))}`,
    );
    const response = await quotes(fake, 'alice', fifty.join(','));
    expect(response.statusCode).toBe(200);
    expect((response.body as QuoteBody).length).toBe(50);
    expect((await quotes(fake, 'not-a-token', 'AAPL')).statusCode).toBe(401);
  });
});
