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

export interface DemoSeedResult {
  portfolioId: string;
  created: boolean;
  trades: number;
}

const callApi = async (baseUrl: string, token: string, method: string, path: string, body?: unknown) => {
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
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return parsed;
};

/** Creates the "Demo" portfolio with a few trades unless the demo user already has it (persisted tables). */
export const seedDemoUser = async (baseUrl: string, token: string): Promise<DemoSeedResult> => {
  const existing = await callApi(baseUrl, token, 'GET', '/portfolios');
  const items = isRecord(existing) && Array.isArray(existing.items) ? existing.items : [];
  const demo = items.find((item) => isRecord(item) && item.name === DEMO_PORTFOLIO.name);
  if (isRecord(demo) && typeof demo.portfolioId === 'string') {
    return { portfolioId: demo.portfolioId, created: false, trades: 0 };
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
  return { portfolioId, created: true, trades: DEMO_TRADES.length };
};

export const demoSeedSummary = (result: DemoSeedResult): string =>
  result.created
    ? `Seeded user "${DEMO_USERNAME}": portfolio "${DEMO_PORTFOLIO.name}" (${result.portfolioId}) with ${result.trades} trades`
    : `User "${DEMO_USERNAME}" already has portfolio "${DEMO_PORTFOLIO.name}" (${result.portfolioId}); not seeded again`;
