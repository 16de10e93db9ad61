/**
 * The demo's market universe: three years of weekday closes for four of the universe's default symbols (which the
 * demo portfolio does not hold), stored as the demo user's manual prices, so that right after `dev`
 * `POST /datasets {"name":"Universe","source":"market-universe"}` has two years of rows for them, not only the
 * one year the simulated feed's two-year backfill gives (a row needs 274 closes). Manual closes on every weekday
 * win over the simulated feed's.
 */

export const DEMO_UNIVERSE_SYMBOLS = ['SPY', 'QQQ', 'TLT', 'GLD'] as const;
/** Calendar days of closes back from today: about 783 weekdays. */
export const DEMO_UNIVERSE_DAYS = 1096;

const DAY_MS = 86_400_000;
const START_PRICE: Record<(typeof DEMO_UNIVERSE_SYMBOLS)[number], number> = {
  SPY: 480,
  QQQ: 410,
  TLT: 95,
  GLD: 190,
};

// mulberry32: a small seeded generator, so every `dev` stores the same walk
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * A symbol's closes on every weekday from `DEMO_UNIVERSE_DAYS` ago to today (UTC): a seeded random walk with
 * daily moves of −1.96 % to +2.04 %, as 2-decimal strings (the wire's decimals).
 */
export const demoUniverseCloses = (
  symbol: (typeof DEMO_UNIVERSE_SYMBOLS)[number],
  now: Date,
): { date: string; close: string }[] => {
  const random = seeded(DEMO_UNIVERSE_SYMBOLS.indexOf(symbol) + 1);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const closes: { date: string; close: string }[] = [];
  let price = START_PRICE[symbol];
  for (let day = today - DEMO_UNIVERSE_DAYS * DAY_MS; day <= today; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    price *= 1 + (random() - 0.49) * 0.04;
    closes.push({ date: new Date(day).toISOString().slice(0, 10), close: price.toFixed(2) });
  }
  return closes;
};

/** Stores the universe's closes through market-data's API and tracks its symbols; answers the symbols stored. */
export const seedDemoUniverse = async (baseUrl: string, token: string, now: Date): Promise<number> => {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  };
  for (const symbol of DEMO_UNIVERSE_SYMBOLS) {
    await send('PUT', `/instruments/${symbol}/prices`, {
      currency: 'USD',
      prices: demoUniverseCloses(symbol, now),
    });
  }
  return DEMO_UNIVERSE_SYMBOLS.length;
};
