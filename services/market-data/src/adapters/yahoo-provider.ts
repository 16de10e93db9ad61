import { Decimal } from '@kupala/trade-model';
import createYahooFinance from 'yahoo-finance2/createYahooFinance';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import chart from 'yahoo-finance2/modules/chart';
import quote from 'yahoo-finance2/modules/quote';
import {
  type DateRange,
  type PriceProvider,
  ProviderError,
  type ProviderEvent,
  type ProviderHistory,
  type ProviderQuote,
} from '../domain/providers';

export const YAHOO_SOURCE = 'yahoo';

// Only the two modules used: the whole client would add every module's schema to the bundle.
const YahooFinance = createYahooFinance({ modules: { quote, chart } });

/** Where yahoo-finance2's own log lines go (it warns about the runtime and prints failed URLs). */
export interface YahooLogger {
  warn: (message: string) => void;
}

export interface YahooProviderOptions {
  /** Tests serve recorded responses through this; production uses the global fetch. */
  fetch?: typeof fetch;
  /** Per HTTP request. */
  timeoutMs?: number;
  logger?: YahooLogger;
}

// Minor units some exchanges quote in (pence, South African cents, agorot): Kupala stores major units.
const MINOR_UNITS: Record<string, string> = { GBp: 'GBP', GBX: 'GBP', ZAc: 'ZAR', ILA: 'ILS' };

const DAY_MS = 86_400_000;
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const epochSeconds = (value: unknown): number | undefined => {
  if (value instanceof Date) return value.getTime() / 1000;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** Yahoo sends binary floats; a price keeps `priceHint` places (2 by default), converted to major units. */
const toMajorUnits = (value: number, currency: string, priceHint: unknown) => {
  const places =
    typeof priceHint === 'number' && priceHint >= 0 && priceHint <= 8 ? Math.max(priceHint, 2) : 2;
  const major = MINOR_UNITS[currency];
  const price = new Decimal(String(value)).round(places);
  return major === undefined
    ? { price: price.toFixed(places), currency }
    : { price: price.div(100).toFixed(places + 2), currency: major };
};

/**
 * Yahoo's failures as the chain understands them: HTTP 429 and a refused crumb (status 429) are rate
 * limits; "No data found" / 404 is an unknown symbol; everything else (timeouts, 5xx, a changed response
 * shape, consent or cookie trouble) is an outage.
 */
export const classifyYahooError = (error: unknown): ProviderError => {
  const message = error instanceof Error ? error.message : String(error);
  const status = isRecord(error) && typeof error.code === 'number' ? error.code : undefined;
  const short = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (status === 429 || /status 429|too many requests/i.test(message))
    return new ProviderError(YAHOO_SOURCE, 'RATE_LIMITED', short, { cause: error });
  if (status === 404 || /no data found|symbol may be delisted|not found/i.test(message))
    return new ProviderError(YAHOO_SOURCE, 'NOT_FOUND', short, { cause: error });
  return new ProviderError(YAHOO_SOURCE, 'UNAVAILABLE', short, { cause: error });
};

/** Quotes (v7 quote, which needs Yahoo's cookie + crumb) and daily closes (v8 chart) from Yahoo Finance. */
export const buildYahooProvider = (options: YahooProviderOptions = {}): PriceProvider => {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const warn = options.logger?.warn ?? (() => undefined);
  const client = new YahooFinance({
    fetch: (input, init) => baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    versionCheck: false, // it would ask the npm registry on every error
    cookieJar: new ExtendedCookieJar(), // its own cookie and crumb, not the library-wide default
    suppressNotices: ['yahooSurvey'],
    logger: {
      info: () => undefined,
      debug: () => undefined,
      dir: () => undefined,
      warn: (...args: unknown[]) => warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => warn(args.map(String).join(' ')),
    },
  });
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error: unknown) {
      throw classifyYahooError(error);
    }
  };

  return {
    source: YAHOO_SOURCE,
    async quote(symbol: string): Promise<ProviderQuote> {
      // Yahoo's schema drifts often; the fields used here are checked below instead.
      const result: unknown = await call(() => client.quote(symbol, {}, { validateResult: false }));
      if (!isRecord(result)) throw new ProviderError(YAHOO_SOURCE, 'NOT_FOUND', `no quote for ${symbol}`);
      const price = result.regularMarketPrice;
      const time = epochSeconds(result.regularMarketTime);
      const currency = result.currency;
      if (typeof price !== 'number' || time === undefined || typeof currency !== 'string')
        throw new ProviderError(
          YAHOO_SOURCE,
          'UNAVAILABLE',
          `quote of ${symbol} lacks price, time or currency`,
        );
      const converted = toMajorUnits(price, currency, result.priceHint);
      const previous = result.regularMarketPreviousClose;
      return {
        symbol,
        ...converted,
        time: new Date(time * 1000).toISOString(),
        ...(typeof previous === 'number'
          ? { previousClose: toMajorUnits(previous, currency, result.priceHint).price }
          : {}),
      };
    },

    async dailyCloses(symbol: string, range: DateRange): Promise<ProviderHistory> {
      const result: unknown = await call(() =>
        client.chart(
          symbol,
          { period1: range.from, period2: nextDay(range.to), interval: '1d', events: 'div|split' },
          { validateResult: false },
        ),
      );
      if (!isRecord(result)) throw new ProviderError(YAHOO_SOURCE, 'UNAVAILABLE', `no chart for ${symbol}`);
      const meta: Record<string, unknown> = isRecord(result.meta) ? result.meta : {};
      const currency = typeof meta.currency === 'string' ? meta.currency : undefined;
      if (currency === undefined)
        throw new ProviderError(YAHOO_SOURCE, 'UNAVAILABLE', `chart of ${symbol} has no currency`);
      // A daily bar's timestamp is its session's open; the exchange's offset gives the local trading date.
      const offset = typeof meta.gmtoffset === 'number' ? meta.gmtoffset : 0;
      const localDate = (value: unknown) => {
        const seconds = epochSeconds(value);
        return seconds === undefined
          ? undefined
          : new Date((seconds + offset) * 1000).toISOString().slice(0, 10);
      };
      const inRange = (date: string | undefined): date is string =>
        date !== undefined && date >= range.from && date <= range.to;
      const closes = records(result.quotes).flatMap((bar) => {
        const date = localDate(bar.date);
        if (!inRange(date) || typeof bar.close !== 'number') return [];
        return [{ date, close: toMajorUnits(bar.close, currency, meta.priceHint).price }];
      });
      const events = isRecord(result.events) ? result.events : {};
      const corporateActions: ProviderEvent[] = [
        ...records(events.splits).flatMap((split): ProviderEvent[] => {
          const date = localDate(split.date);
          return inRange(date) &&
            typeof split.numerator === 'number' &&
            typeof split.denominator === 'number' &&
            split.denominator > 0
            ? [{ type: 'SPLIT', date, ratio: new Decimal(split.numerator).div(split.denominator).toFixed() }]
            : [];
        }),
        ...records(events.dividends).flatMap((dividend): ProviderEvent[] => {
          const date = localDate(dividend.date);
          return inRange(date) && typeof dividend.amount === 'number'
            ? [{ type: 'DIVIDEND', date, amount: toMajorUnits(dividend.amount, currency, 4).price }]
            : [];
        }),
      ];
      return { currency: MINOR_UNITS[currency] ?? currency, closes, events: corporateActions };
    },
  };
};
