import { FX_SYMBOL } from './providers';

/**
 * When a market produces prices, in UTC minutes of the day (standard hours; no holidays, no daylight
 * saving shift): a simplification that errs towards calling a price fresh one hour early or late.
 */
export interface Market {
  name: string;
  openMinute: number;
  closeMinute: number;
  /** `weekdays`: Monday to Friday; `always`: every day, around the clock. */
  days: 'weekdays' | 'always';
}

const hours = (name: string, open: string, close: string): Market => {
  const minute = (time: string) => {
    const [h = '0', m = '0'] = time.split(':');
    return Number(h) * 60 + Number(m);
  };
  return { name, openMinute: minute(open), closeMinute: minute(close), days: 'weekdays' };
};

const US = hours('US equities', '14:30', '21:00');
const EUROPE = hours('European equities', '08:00', '16:30');
const TOKYO = hours('Tokyo', '00:00', '06:00');
const HONG_KONG = hours('Hong Kong', '01:30', '08:00');
const SYDNEY = hours('Sydney', '00:00', '06:00');
const FX: Market = { name: 'FX (24 hours, weekdays)', openMinute: 0, closeMinute: 24 * 60, days: 'weekdays' };
const CRYPTO: Market = { name: 'crypto (always open)', openMinute: 0, closeMinute: 24 * 60, days: 'always' };

const BY_CURRENCY: Record<string, Market> = {
  USD: US,
  CAD: US,
  EUR: EUROPE,
  GBP: EUROPE,
  GBX: EUROPE,
  CHF: EUROPE,
  SEK: EUROPE,
  NOK: EUROPE,
  DKK: EUROPE,
  JPY: TOKYO,
  HKD: HONG_KONG,
  CNY: HONG_KONG,
  SGD: HONG_KONG,
  AUD: SYDNEY,
  NZD: SYDNEY,
};

/** The market a symbol's price comes from: FX pairs and crypto by their symbol, others by currency. */
export const marketOf = (symbol: string, currency: string): Market => {
  if (FX_SYMBOL.test(symbol)) return FX;
  if (/-(USD|EUR|USDT|BTC)$/.test(symbol)) return CRYPTO;
  return BY_CURRENCY[currency] ?? US;
};

/** A price older than the expected update by more than this is stale (refresh every 15 min + feed delay). */
export const STALE_GRACE_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

const isTradingDay = (market: Market, day: Date) =>
  market.days === 'always' || (day.getUTCDay() !== 0 && day.getUTCDay() !== 6);

/**
 * The latest moment at which the market should have produced a new price: now while it is open, else the
 * close of its last trading session.
 */
export const expectedUpdateAt = (market: Market, now: Date): Date => {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let back = 0; back <= 7; back += 1) {
    const day = new Date(midnight - back * DAY_MS);
    if (!isTradingDay(market, day)) continue;
    const open = day.getTime() + market.openMinute * 60_000;
    const close = day.getTime() + market.closeMinute * 60_000;
    if (now.getTime() >= open && now.getTime() < close) return now;
    if (now.getTime() >= close) return new Date(close);
  }
  return now;
};

/**
 * The staleness rule: a price is stale when its time is more than 30 minutes before the market's expected
 * update (see `expectedUpdateAt`). A daily close counts as of its session's close time.
 */
export const isStale = (priceTime: string, market: Market, now: Date): boolean =>
  Date.parse(priceTime) < expectedUpdateAt(market, now).getTime() - STALE_GRACE_MS;

/** The time a daily close of `date` stands for: its market's close that day. */
export const closeTime = (date: string, market: Market): string =>
  new Date(
    Date.parse(`${date}T00:00:00Z`) + Math.min(market.closeMinute, 24 * 60 - 1) * 60_000,
  ).toISOString();
