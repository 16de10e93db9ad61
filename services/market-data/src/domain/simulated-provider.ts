import { Decimal } from '@kupala/trade-model';
import { closeTime, marketOf } from './market-hours';
import {
  type DateRange,
  FX_SYMBOL,
  type PriceProvider,
  ProviderError,
  type ProviderEvent,
  type ProviderHistory,
  type ProviderQuote,
} from './providers';

export const SIMULATED_SOURCE = 'simulated';
/** The first simulated date: every series starts here. */
export const SIMULATION_EPOCH = '2015-01-01';
/** Symbols whose seed is divisible by 3 split 2-for-1 on this date (a Monday). */
export const SIMULATED_SPLIT_DATE = '2024-06-10';

const DAY_MS = 86_400_000;
const epochMs = Date.parse(`${SIMULATION_EPOCH}T00:00:00Z`);

/** FNV-1a: the seed of a symbol, the same on every machine. */
export const seedOf = (symbol: string): number => {
  let hash = 0x811c9dc5;
  for (const character of symbol) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

// splitmix32: a well-mixed uniform [0, 1) from (seed, day, draw), so any day is reachable without state.
const uniform = (seed: number, day: number, draw: number): number => {
  let z = (seed + Math.imul(day, 0x9e3779b9) + Math.imul(draw, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
};
// Irwin–Hall: the sum of 4 uniforms, centred and scaled to a standard deviation of 1.
const normal = (seed: number, day: number) =>
  (uniform(seed, day, 1) + uniform(seed, day, 2) + uniform(seed, day, 3) + uniform(seed, day, 4) - 2) *
  Math.sqrt(3);

/** US-dollar value of one unit of each simulated currency at the epoch. */
const USD_VALUE: Record<string, string> = {
  USD: '1',
  EUR: '1.08',
  GBP: '1.27',
  JPY: '0.0067',
  CHF: '1.12',
  CAD: '0.74',
  AUD: '0.66',
  NZD: '0.61',
  SEK: '0.095',
  NOK: '0.093',
  DKK: '0.145',
  HKD: '0.128',
  SGD: '0.74',
  CNY: '0.138',
  INR: '0.012',
  PLN: '0.25',
  MXN: '0.055',
};
const SUFFIX_CURRENCY: Record<string, string> = {
  L: 'GBP',
  DE: 'EUR',
  PA: 'EUR',
  AS: 'EUR',
  MI: 'EUR',
  MC: 'EUR',
  SW: 'CHF',
  T: 'JPY',
  TO: 'CAD',
  HK: 'HKD',
  AX: 'AUD',
  ST: 'SEK',
  OL: 'NOK',
  CO: 'DKK',
};

type Kind = { kind: 'equity' | 'crypto'; currency: string } | { kind: 'fx'; base: string; quote: string };

/** What the simulation knows: tickers, crypto pairs and FX pairs; CUSIPs, option codes and others are unknown. */
const classify = (symbol: string): Kind | undefined => {
  const fx = FX_SYMBOL.exec(symbol);
  if (fx !== null) {
    const [, base = '', quote = ''] = fx;
    return USD_VALUE[base] !== undefined && USD_VALUE[quote] !== undefined && base !== quote
      ? { kind: 'fx', base, quote }
      : undefined;
  }
  if (/^[A-Z]{2,5}-USD$/.test(symbol)) return { kind: 'crypto', currency: 'USD' };
  const equity = /^\^?[A-Z]{1,5}(?:\.([A-Z]{1,2}))?$/.exec(symbol);
  if (equity === null) return undefined;
  return { kind: 'equity', currency: SUFFIX_CURRENCY[equity[1] ?? ''] ?? 'USD' };
};

interface Path {
  /** Calendar day index since the epoch of each point. */
  days: number[];
  /** Price in units of 10^-scale. */
  values: number[];
  scale: number;
  events: ProviderEvent[];
}

// Calendar days since the epoch as ISO dates and weekday flags, computed once for every symbol.
const calendarDates: string[] = [];
const calendarWeekdays: boolean[] = [];
const extendCalendar = (lastDay: number) => {
  for (let day = calendarDates.length; day <= lastDay; day += 1) {
    const date = new Date(epochMs + day * DAY_MS);
    calendarDates.push(date.toISOString().slice(0, 10));
    calendarWeekdays.push(date.getUTCDay() !== 0 && date.getUTCDay() !== 6);
  }
};
const isoDate = (day: number) => {
  extendCalendar(day);
  return calendarDates[day] ?? '';
};
const isWeekday = (day: number) => {
  extendCalendar(day);
  return calendarWeekdays[day] ?? false;
};
const dayIndex = (date: string) => Math.floor((Date.parse(`${date}T00:00:00Z`) - epochMs) / DAY_MS);
/** An integer amount of 10^-2 units as a decimal string, without floating point: 12345 → "123.45". */
const centsText = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

/** One random-walk step in integer units: value × (10000 + bp) / 10000 with bp ~ N(drift, vol). */
const step = (value: number, seed: number, day: number, volBp: number, driftBp: number) =>
  Math.max(1, Math.round((value * (10000 + Math.round(normal(seed, day) * volBp + driftBp))) / 10000));

// Equities and crypto in cents; a USD value per currency in 10^-10 USD.
const equityPath = (symbol: string, crypto: boolean, lastDay: number): Path => {
  const seed = seedOf(symbol);
  const volBp = crypto ? 300 : 80 + (seed % 120);
  const paysDividends = !crypto && seed % 2 === 0;
  const splits = !crypto && seed % 3 === 0;
  const splitDay = dayIndex(SIMULATED_SPLIT_DATE);
  let cents = crypto ? 100_000 + (seed % 5_000_000) : 2_000 + (seed % 48_000);
  const path: Path = { days: [], values: [], scale: 2, events: [] };
  let lastDividendQuarter = '';
  for (let day = 0; day <= lastDay; day += 1) {
    if (!crypto && !isWeekday(day)) continue;
    const date = isoDate(day);
    if (splits && day === splitDay) {
      cents = Math.max(1, Math.round(cents / 2));
      path.events.push({ type: 'SPLIT', date, ratio: '2' });
    }
    cents = step(cents, seed, day, volBp, 2);
    const quarter = date.slice(0, 7);
    if (
      paysDividends &&
      /-(03|06|09|12)$/.test(quarter) &&
      date.slice(8) >= '15' &&
      lastDividendQuarter !== quarter
    ) {
      // ex-dividend on the first trading day from the 15th of the quarter's last month: 0.4% of the price
      const amount = Math.max(1, Math.round((cents * 40) / 10000));
      cents = Math.max(1, cents - amount);
      lastDividendQuarter = quarter;
      path.events.push({ type: 'DIVIDEND', date, amount: centsText(amount) });
    }
    path.days.push(day);
    path.values.push(cents);
  }
  return path;
};

const usdValuePath = (currency: string, lastDay: number): Path => {
  const seed = seedOf(`FX:${currency}`);
  let value = new Decimal(USD_VALUE[currency] ?? '1').times(1e10).toNumber();
  const path: Path = { days: [], values: [], scale: 10, events: [] };
  for (let day = 0; day <= lastDay; day += 1) {
    if (!isWeekday(day)) continue;
    if (currency !== 'USD') value = step(value, seed, day, 40, 0);
    path.days.push(day);
    path.values.push(value);
  }
  return path;
};

/**
 * A deterministic market, offline: a seeded random walk per symbol from 2015-01-01 (the same prices on
 * every machine and every run), plausible levels (equities 20–500 a share, 0.8–2% daily moves), a 2-for-1
 * split on 2024-06-10 for one symbol in three, a quarterly 0.4% dividend for one in two, crypto every day,
 * FX rates from per-currency walks. A quote during a session moves linearly from the previous close to the
 * day's close. Unknown shapes (CUSIPs, option codes) answer NOT_FOUND: they need manual prices.
 */
export const buildSimulatedProvider = (): PriceProvider => {
  const cache = new Map<string, Path>();
  const pathOf = (key: string, lastDay: number, build: (lastDay: number) => Path): Path => {
    const cached = cache.get(key);
    if (cached !== undefined && (cached.days.at(-1) ?? -1) >= lastDay - 3) return cached;
    const built = build(lastDay + 7);
    cache.set(key, built);
    return built;
  };

  /** The series of a symbol up to `lastDay`: its days, each day's price as text (on demand), its currency. */
  const series = (symbol: string, lastDay: number) => {
    const kind = classify(symbol);
    if (kind === undefined)
      throw new ProviderError(SIMULATED_SOURCE, 'NOT_FOUND', `unknown symbol ${symbol}`);
    if (kind.kind !== 'fx') {
      const path = pathOf(symbol, lastDay, (last) => equityPath(symbol, kind.kind === 'crypto', last));
      return {
        currency: kind.currency,
        days: path.days,
        valueAt: (index: number) => centsText(path.values[index] ?? 0),
        events: path.events,
      };
    }
    const base = pathOf(`FX:${kind.base}`, lastDay, (last) => usdValuePath(kind.base, last));
    const quote = pathOf(`FX:${kind.quote}`, lastDay, (last) => usdValuePath(kind.quote, last));
    return {
      currency: kind.quote,
      days: base.days,
      valueAt: (index: number) =>
        new Decimal(base.values[index] ?? 1).div(quote.values[index] ?? 1).toFixed(6),
      events: [] as ProviderEvent[],
    };
  };
  /** Index of the last point on or before `day` (-1 when none). */
  const lastIndexOnOrBefore = (days: readonly number[], day: number) => {
    let low = 0;
    let high = days.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((days[middle] ?? 0) <= day) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  };

  return {
    source: SIMULATED_SOURCE,
    async dailyCloses(symbol: string, range: DateRange): Promise<ProviderHistory> {
      const from = dayIndex(range.from);
      const to = dayIndex(range.to);
      const { currency, days, valueAt, events } = series(symbol, Math.max(0, to));
      const closes = [];
      for (let index = lastIndexOnOrBefore(days, from - 1) + 1; index < days.length; index += 1) {
        const day = days[index] ?? 0;
        if (day > to) break;
        closes.push({ date: isoDate(day), close: valueAt(index) });
      }
      return {
        currency,
        closes,
        events: events.filter((event) => event.date >= range.from && event.date <= range.to),
      };
    },
    async quote(symbol: string, now: Date): Promise<ProviderQuote> {
      const today = Math.floor((now.getTime() - epochMs) / DAY_MS);
      if (today < 1)
        throw new ProviderError(
          SIMULATED_SOURCE,
          'NOT_FOUND',
          `no simulated prices before ${SIMULATION_EPOCH}`,
        );
      const { currency, days, valueAt } = series(symbol, today);
      const market = marketOf(symbol, currency);
      const lastIndex = lastIndexOnOrBefore(days, today);
      if (lastIndex < 1)
        throw new ProviderError(SIMULATED_SOURCE, 'NOT_FOUND', `no simulated prices for ${symbol} yet`);
      const last = valueAt(lastIndex);
      const previous = valueAt(lastIndex - 1);
      const lastDate = isoDate(days[lastIndex] ?? 0);
      const open = Date.parse(`${lastDate}T00:00:00Z`) + market.openMinute * 60_000;
      const close = Date.parse(closeTime(lastDate, market));
      if (now.getTime() >= close)
        return {
          symbol,
          price: last,
          currency,
          time: new Date(close).toISOString(),
          previousClose: previous,
        };
      if (now.getTime() >= open) {
        // inside today's session: the straight line from the previous close towards today's close
        const fraction = (now.getTime() - open) / (close - open);
        const places = last.split('.')[1]?.length ?? 0;
        const moved = new Decimal(previous).plus(
          new Decimal(last).minus(previous).times(fraction.toFixed(6)),
        );
        return {
          symbol,
          price: moved.toFixed(places),
          currency,
          time: now.toISOString(),
          previousClose: previous,
        };
      }
      // before today's session opens: the previous session's close is the latest price
      return {
        symbol,
        price: previous,
        currency,
        time: closeTime(isoDate(days[lastIndex - 1] ?? 0), market),
        ...(lastIndex >= 2 ? { previousClose: valueAt(lastIndex - 2) } : {}),
      };
    },
  };
};
