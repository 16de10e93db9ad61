import { isRecord } from './is-record';
/** Seeds the local demo user through the real HTTP API (gateway → offline → handlers), with a real token. */

export const DEMO_USERNAME = 'demo';
export const DEMO_PORTFOLIO = { name: 'Demo', baseCurrency: 'USD', lotMethod: 'FIFO' } as const;

const equity = (symbol: string) => ({ assetClass: 'EQUITY', symbol, currency: 'USD' });

export const DEMO_TRADES: readonly Record<string, unknown>[] = [
  { type: 'DEPOSIT', amount: '10000', currency: 'USD', tradeDate: '2026-01-02' },
  {
    type: 'BUY',
    instrument: equity('AAPL'),
    quantity: '10',
    price: '190.50',
    currency: 'USD',
    fees: '1.00',
    tradeDate: '2026-01-05',
  },
  {
    type: 'BUY',
    instrument: equity('MSFT'),
    quantity: '5',
    price: '420.00',
    currency: 'USD',
    fees: '1.00',
    tradeDate: '2026-01-06',
  },
  {
    type: 'SELL',
    instrument: equity('AAPL'),
    quantity: '4',
    price: '195.25',
    currency: 'USD',
    fees: '1.00',
    tradeDate: '2026-01-12',
  },
];

const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/**
 * Manual daily closes (market-data's `PUT /instruments/{symbol}/prices`), so the demo positions have a
 * lastPrice, market value and P&L right away without any feed. The latest date is the current price: the
 * closes are dated yesterday and today (UTC), so the demo's prices are not `stale` right after `dev`.
 */
export const demoPrices = (
  now: Date,
): readonly { symbol: string; currency: string; prices: { date: string; close: string }[] }[] => {
  const today = isoDay(now.getTime());
  const yesterday = isoDay(now.getTime() - 86_400_000);
  return [
    {
      symbol: 'AAPL',
      currency: 'USD',
      prices: [
        { date: yesterday, close: '199.80' },
        { date: today, close: '201.10' },
      ],
    },
    {
      symbol: 'MSFT',
      currency: 'USD',
      prices: [
        { date: yesterday, close: '428.00' },
        { date: today, close: '431.50' },
      ],
    },
  ];
};

export interface DemoSeedResult {
  portfolioId: string;
  created: boolean;
  trades: number;
  /** Symbols priced (0 when market-data is not running). */
  prices: number;
}

export interface DemoSeedOptions {
  /** How long to wait for the positions of the seeded trades before pricing them (default 20 s). */
  positionsTimeoutMs?: number;
  /** The clock the demo closes are dated by (default: now). */
  now?: () => Date;
}

const callApi = async (
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> => {
  const { status, parsed, text } = await request(baseUrl, token, method, path, body);
  if (status >= 300) throw new Error(`${method} ${path} answered ${status}: ${text.slice(0, 500)}`);
  return parsed;
};

const request = async (baseUrl: string, token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // keep the raw text for the error message
  }
  return { status: response.status, parsed, text };
};

/**
 * Waits until the positions service shows a position for every traded symbol (the Trades stream reaches it
 * asynchronously), so that the prices that follow revalue positions that exist. False when it did not
 * within the timeout (or the positions service is not running): the prices are stored anyway.
 */
const positionsAppear = async (
  baseUrl: string,
  token: string,
  portfolioId: string,
  timeoutMs: number,
): Promise<boolean> => {
  const symbols = new Set(demoPrices(new Date()).map((price) => price.symbol));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, parsed } = await request(baseUrl, token, 'GET', `/portfolios/${portfolioId}/positions`);
    const positions = isRecord(parsed) && Array.isArray(parsed.positions) ? parsed.positions : [];
    const held = new Set(
      positions.map((position) =>
        isRecord(position) && isRecord(position.instrument) ? position.instrument.symbol : undefined,
      ),
    );
    if (status === 200 && [...symbols].every((symbol) => held.has(symbol))) return true;
    // the gateway knows no such route: the positions service is not running (dev --only)
    if (status === 404) return false;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  return false;
};

/** Creates the "Demo" portfolio with a few trades unless the demo user already has it (persisted tables). */
export const seedDemoUser = async (
  baseUrl: string,
  token: string,
  options: DemoSeedOptions = {},
): Promise<DemoSeedResult> => {
  const existing = await callApi(baseUrl, token, 'GET', '/portfolios');
  const items = isRecord(existing) && Array.isArray(existing.items) ? existing.items : [];
  const demo = items.find((item) => isRecord(item) && item.name === DEMO_PORTFOLIO.name);
  if (isRecord(demo) && typeof demo.portfolioId === 'string') {
    return { portfolioId: demo.portfolioId, created: false, trades: 0, prices: 0 };
  }
  const portfolio = await callApi(baseUrl, token, 'POST', '/portfolios', DEMO_PORTFOLIO);
  if (!isRecord(portfolio) || typeof portfolio.portfolioId !== 'string') {
    throw new Error(`POST /portfolios returned no portfolioId: ${JSON.stringify(portfolio)}`);
  }
  const { portfolioId } = portfolio;
  // In order: the SELL must find the BUY's lots.
  for (const trade of DEMO_TRADES) {
    await callApi(baseUrl, token, 'POST', `/portfolios/${encodeURIComponent(portfolioId)}/trades`, trade);
  }
  await positionsAppear(
    baseUrl,
    token,
    encodeURIComponent(portfolioId),
    options.positionsTimeoutMs ?? 20_000,
  );
  let prices = 0;
  for (const { symbol, ...body } of demoPrices((options.now ?? (() => new Date()))())) {
    const path = `/instruments/${encodeURIComponent(symbol)}/prices`;
    const { status, text } = await request(baseUrl, token, 'PUT', path, body);
    // 404 from the gateway: market-data is not running (dev --only); the demo still has its trades
    if (status === 404) break;
    if (status >= 300) throw new Error(`PUT ${path} answered ${status}: ${text.slice(0, 500)}`);
    prices += 1;
  }
  return { portfolioId, created: true, trades: DEMO_TRADES.length, prices };
};

export const demoSeedSummary = (result: DemoSeedResult): string =>
  result.created
    ? `Seeded user "${DEMO_USERNAME}": portfolio "${DEMO_PORTFOLIO.name}" (${result.portfolioId}) with ${result.trades} trades and prices of ${result.prices} symbols`
    : `User "${DEMO_USERNAME}" already has portfolio "${DEMO_PORTFOLIO.name}" (${result.portfolioId}); not seeded again`;
