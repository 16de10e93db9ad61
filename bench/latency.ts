import { type HttpHandler, invoke, withLocalTrades } from './local-trades';
import { percentile } from './stats';

export interface RouteLatency {
  route: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LatencyOptions {
  /** A packaged trades service dir: `<dir>/.serverless/cloudformation-template-update-stack.json`. */
  packagedTradesDir: string;
  /** Where the handlers' sources live (services/trades). */
  tradesSourceDir: string;
  warmup: number;
  requests: number;
}

export interface LatencyReport {
  routes: RouteLatency[];
  tradesInPortfolio: number;
  pageSize: number;
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'ASML', 'SAP'] as const;

/** A valid BUY; dates and symbols vary so the list index is not one hot key range. */
const buyTrade = (index: number) => {
  const day = new Date(Date.UTC(2025, 0, 2) + (index % 365) * 86_400_000).toISOString().slice(0, 10);
  const symbol = SYMBOLS[index % SYMBOLS.length] ?? 'AAPL';
  return {
    type: 'BUY',
    instrument: { assetClass: 'EQUITY', symbol, currency: 'USD' },
    quantity: String(1 + (index % 50)),
    price: `${100 + (index % 97)}.25`,
    currency: 'USD',
    fees: '1.00',
    tradeDate: day,
  };
};

/** Sequential requests: `warmup` untimed, then `requests` timed, each through the whole middy stack. */
const timeSequentially = async (
  count: { warmup: number; requests: number },
  send: (index: number) => Promise<{ elapsedMs: number }>,
): Promise<number[]> => {
  for (let index = 0; index < count.warmup; index++) await send(index);
  const samples: number[] = [];
  for (let index = 0; index < count.requests; index++) {
    samples.push((await send(count.warmup + index)).elapsedMs);
  }
  return samples;
};

const HANDLERS = ['createPortfolio', 'bookTrade', 'listTrades'] as const;

/**
 * p50/p99 of booking and listing trades through the real handlers (middy stack, JWT verification with the
 * local issuer's keys, zod validation, DynamoDB document client) against DynamoDB Local, in this process.
 * Each sample is one `await main(event, context)`; building the event is outside the timed span.
 */
export const measureTradeLatency = (options: LatencyOptions): Promise<LatencyReport> =>
  withLocalTrades({ ...options, handlers: HANDLERS, s3: false }, async ({ modules, issuer }) => {
    const createPortfolio = modules.createPortfolio.main as HttpHandler;
    const bookTrade = modules.bookTrade.main as HttpHandler;
    const listTrades = modules.listTrades.main as HttpHandler;
    const token = await issuer.signAccessToken('bench-trader');

    const created = await invoke(
      createPortfolio,
      'createPortfolio',
      { method: 'POST', path: '/portfolios', token, body: { name: 'Bench', baseCurrency: 'USD' } },
      201,
    );
    const portfolioId = (created.body as { portfolioId: string }).portfolioId;
    const tradesPath = `/portfolios/${portfolioId}/trades`;
    const routePath = '/portfolios/{portfolioId}/trades';
    const common = { path: tradesPath, routePath, pathParameters: { portfolioId }, token };

    const bookSamples = await timeSequentially(options, (index) =>
      invoke(bookTrade, 'bookTrade', { ...common, method: 'POST', body: buyTrade(index) }, 201),
    );
    const listSamples = await timeSequentially(options, () =>
      invoke(listTrades, 'listTrades', { ...common, method: 'GET' }, 200),
    );
    const firstPage = await invoke(listTrades, 'listTrades', { ...common, method: 'GET' }, 200);
    const pageSize = (firstPage.body as { items: unknown[] }).items.length;
    const summary = (route: string, samples: number[]): RouteLatency => ({
      route,
      requests: samples.length,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
    });
    return {
      routes: [summary(`POST ${routePath}`, bookSamples), summary(`GET ${routePath}`, listSamples)],
      tradesInPortfolio: options.warmup + options.requests,
      pageSize,
    };
  });
