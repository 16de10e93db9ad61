import { isRecord } from './is-record';

/** The demo portfolio's symbols whose simulated daily closes its history is valued at. */
export const DEMO_HISTORY_SYMBOLS = ['AAPL', 'MSFT'] as const;
/** The first day of the demo's EOD history (the business day before its first trade, 2026-01-02). */
export const DEMO_HISTORY_FROM = '2026-01-01';

export interface DemoHistoryOptions {
  baseUrl: string;
  token: string;
  portfolioId: string;
  /** serverless-offline's Lambda invoke URL of market-data's refresh function. */
  refreshUrl: string;
  /** How long to wait for the history to be written (default 120 s). */
  timeoutMs?: number;
}

const call = async (url: string, init: RequestInit) => {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(300_000) });
  const text = await response.text();
  if (response.status >= 300)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
};

/**
 * A year of daily history for the demo portfolio, through the platform's own paths: its symbols are put on
 * market-data's refresh list (a first `GET …/history` does that) and the refresh runs once, backfilling a
 * year of the simulated provider's daily closes; then `POST …/eod` snapshots every business day from the first
 * trade to the last business day, and this waits until `GET …/history` shows them. Answers the days written.
 */
export const seedDemoHistory = async (options: DemoHistoryOptions): Promise<number> => {
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  for (const symbol of DEMO_HISTORY_SYMBOLS) {
    await call(`${options.baseUrl}/instruments/${symbol}/history?limit=1`, { method: 'GET', headers });
  }
  await call(options.refreshUrl, { method: 'POST', body: '{}' });
  const portfolio = encodeURIComponent(options.portfolioId);
  const accepted = await call(`${options.baseUrl}/portfolios/${portfolio}/eod`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ from: DEMO_HISTORY_FROM }),
  });
  const to = isRecord(accepted) && typeof accepted.to === 'string' ? accepted.to : undefined;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const page = await call(
      `${options.baseUrl}/portfolios/${portfolio}/history?from=${DEMO_HISTORY_FROM}&limit=500`,
      { method: 'GET', headers },
    );
    const items = isRecord(page) && Array.isArray(page.items) ? page.items : [];
    const last = items.at(-1);
    if (isRecord(last) && last.date === to) return items.length;
    if (Date.now() > deadline) throw new Error(`the demo's EOD history did not reach ${to} in time`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
};
