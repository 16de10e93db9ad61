import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildYahooProvider, classifyYahooError } from './yahoo-provider';

interface Recorded {
  response: { status: number; headers: Record<string, string>; bodyJson?: unknown; bodyText?: string };
}
const fixture = (name: string): Recorded =>
  JSON.parse(readFileSync(path.join(__dirname, 'yahoo-fixtures', `${name}.json`), 'utf8')) as Recorded;

/**
 * Serves recorded responses by URL (cookie page, getcrumb, quote, chart) and records every URL asked for;
 * anything else fails the test, so nothing can reach the network.
 */
const recordedYahoo = (routes: { cookie?: string; crumb?: string; quote?: string; chart?: string }) => {
  const requests: string[] = [];
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    requests.push(
      `${url.host}${url.pathname}${url.searchParams.has('crumb') ? ` crumb=${url.searchParams.get('crumb')}` : ''}`,
    );
    const name =
      url.host === 'finance.yahoo.com'
        ? routes.cookie
        : url.pathname === '/v1/test/getcrumb'
          ? routes.crumb
          : url.pathname === '/v7/finance/quote'
            ? routes.quote
            : url.pathname.startsWith('/v8/finance/chart/')
              ? routes.chart
              : undefined;
    if (name === undefined) throw new Error(`unexpected request to ${url.href}`);
    const { response } = fixture(name);
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) headers.append(key, value);
    const body =
      response.bodyJson === undefined ? (response.bodyText ?? '') : JSON.stringify(response.bodyJson);
    // a constructed Response drops Set-Cookie (a forbidden response header), so serve a Response-shaped object
    return {
      status: response.status,
      statusText: response.status === 200 ? 'OK' : 'Error',
      ok: response.status >= 200 && response.status < 300,
      // getSetCookie's array comes from Node's realm; yahoo-finance2 tests `instanceof Array` inside Jest's realm
      headers: { get: (name: string) => headers.get(name), getSetCookie: () => [...headers.getSetCookie()] },
      text: async () => body,
      json: async () => JSON.parse(body),
    } as unknown as Response;
  };
  const warnings: string[] = [];
  const provider = buildYahooProvider({
    fetch: fetch as typeof globalThis.fetch,
    logger: { warn: (line) => void warnings.push(line) },
  });
  return { provider, requests, warnings };
};

const NOW = new Date('2026-03-03T16:40:00.000Z');

describe('Yahoo provider against recorded responses', () => {
  it('gets a cookie and a crumb, then quotes with the crumb; the float price keeps priceHint places', async () => {
    const yahoo = recordedYahoo({ cookie: 'cookie-page', crumb: 'getcrumb', quote: 'quote-AAPL' });
    await expect(yahoo.provider.quote('AAPL', NOW)).resolves.toEqual({
      symbol: 'AAPL',
      // 191.27999877929688 rounded half-even to priceHint 2
      price: '191.28',
      currency: 'USD',
      // regularMarketTime 1772555700 s = 2026-03-03T16:35:00Z
      time: '2026-03-03T16:35:00.000Z',
      previousClose: '189.84',
    });
    expect(yahoo.requests).toEqual([
      'finance.yahoo.com/quote/AAPL',
      'query1.finance.yahoo.com/v1/test/getcrumb',
      'query2.finance.yahoo.com/v7/finance/quote crumb=kUpAlA4cRuMb',
    ]);
    // the crumb is kept: a second quote asks Yahoo once
    await yahoo.provider.quote('AAPL', NOW);
    expect(yahoo.requests).toHaveLength(4);
  });

  it('converts pence (GBp) to pounds, so a London price is never 100 times too high', async () => {
    const yahoo = recordedYahoo({ cookie: 'cookie-page', crumb: 'getcrumb', quote: 'quote-VOD.L' });
    // 72.86 GBp = 0.7286 GBP; previous close 71.50 GBp = 0.7150 GBP
    await expect(yahoo.provider.quote('VOD.L', NOW)).resolves.toMatchObject({
      price: '0.7286',
      currency: 'GBP',
      previousClose: '0.7150',
    });
  });

  it('reads a rate-limited quote (HTTP 429) as RATE_LIMITED', async () => {
    const yahoo = recordedYahoo({ cookie: 'cookie-page', crumb: 'getcrumb', quote: 'quote-429' });
    await expect(yahoo.provider.quote('AAPL', NOW)).rejects.toMatchObject({
      source: 'yahoo',
      kind: 'RATE_LIMITED',
    });
  });

  it('reads a refused crumb (getcrumb answers 429) as RATE_LIMITED, without asking for the quote', async () => {
    const yahoo = recordedYahoo({ cookie: 'cookie-page', crumb: 'getcrumb-429', quote: 'quote-AAPL' });
    await expect(yahoo.provider.quote('AAPL', NOW)).rejects.toMatchObject({ kind: 'RATE_LIMITED' });
    expect(yahoo.requests.some((request) => request.includes('/v7/finance/quote'))).toBe(false);
  });

  it('reads an empty quote result as NOT_FOUND', async () => {
    const yahoo = recordedYahoo({ cookie: 'cookie-page', crumb: 'getcrumb', quote: 'quote-empty' });
    await expect(yahoo.provider.quote('NOSUCHX', NOW)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('reads daily closes at their exchange dates, skips a bar without a close, and reports split and dividend', async () => {
    const yahoo = recordedYahoo({ chart: 'chart-AAPL-2026-03-02-to-2026-03-06' });
    const history = await yahoo.provider.dailyCloses('AAPL', { from: '2026-03-02', to: '2026-03-06' });
    expect(history).toEqual({
      currency: 'USD',
      // bars open at 14:30 UTC; with gmtoffset −18000 s (09:30 New York) each falls on its own date
      closes: [
        { date: '2026-03-02', close: '189.84' },
        { date: '2026-03-03', close: '191.28' },
        { date: '2026-03-04', close: '192.55' },
        { date: '2026-03-06', close: '48.61' },
      ],
      events: [
        { type: 'SPLIT', date: '2026-03-06', ratio: '4' },
        { type: 'DIVIDEND', date: '2026-03-05', amount: '0.2600' },
      ],
    });
    // the chart needs no crumb
    expect(yahoo.requests).toEqual(['query2.finance.yahoo.com/v8/finance/chart/AAPL']);
  });

  it('reads "No data found, symbol may be delisted" as NOT_FOUND and a 502 as UNAVAILABLE', async () => {
    const missing = recordedYahoo({ chart: 'chart-not-found' });
    await expect(
      missing.provider.dailyCloses('NOSUCHX', { from: '2026-03-02', to: '2026-03-06' }),
    ).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });
    const down = recordedYahoo({ chart: 'chart-500' });
    await expect(
      down.provider.dailyCloses('AAPL', { from: '2026-03-02', to: '2026-03-06' }),
    ).rejects.toMatchObject({
      kind: 'UNAVAILABLE',
    });
  });

  it('classifies timeouts and unknown errors as outages', () => {
    expect(
      classifyYahooError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind,
    ).toBe('UNAVAILABLE');
    expect(classifyYahooError('weird').kind).toBe('UNAVAILABLE');
  });
});
