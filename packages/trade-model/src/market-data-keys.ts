/**
 * The MarketData table's key layout: the shared contract between market-data (which writes it) and
 * positions (which reads it and whose revaluation its stream drives). Only these builders make its keys;
 * only these readers turn its items (or stream images) back into values.
 *
 * - manual close: pk `USER#<sub>#PRICE#<SYMBOL>`, sk `DATE#<YYYY-MM-DD>`; series header sk `SERIES`
 * - feed close (global): pk `PRICE#<SYMBOL>`, sk `DATE#<YYYY-MM-DD>`
 * - latest feed quote (global): pk `PRICE#<SYMBOL>`, sk `QUOTE`
 * - manual FX rate: pk `USER#<sub>#FX#<BASE>#<QUOTE>`, sk `DATE#<date>`; feed FX rate: pk `FX#<BASE>#<QUOTE>`
 * - the feed's refresh list (market-data keeps these symbols current; ml-analysis's market universe reads it):
 *   pk `REFRESH#SYMBOLS`, sk `SYMBOL#<SYMBOL>`, live until `expiresAt` (epoch seconds)
 *
 * 1 BASE = rate QUOTE; the inverse pair is derived (1 / rate), never stored twice. For a user, their manual
 * value of a date wins over the feed's; the latest price is the most recent date or quote available.
 */
import { canonicalDecimal, Decimal } from './decimal';
import { MANUAL_PRICE_SOURCE } from './schemas/market-data';

export const PRICE_CLOSE_ENTITY = 'PRICE_CLOSE';
export const QUOTE_ENTITY = 'QUOTE';
export const FX_RATE_ENTITY = 'FX_RATE';
/** Entities whose changes revalue positions (a stream filter on `entity` may use this list). */
export const REVALUING_ENTITIES = [PRICE_CLOSE_ENTITY, QUOTE_ENTITY, FX_RATE_ENTITY] as const;

export const SERIES_SORT_KEY = 'SERIES';
export const QUOTE_SORT_KEY = 'QUOTE';
export const dateSortKey = (date: string): string => `DATE#${date}`;
/** Bounds of every `DATE#…` sort key of a partition (for `sk BETWEEN`). */
export const FIRST_DATE_SORT_KEY = dateSortKey('0000-00-00');
export const LAST_DATE_SORT_KEY = dateSortKey('9999-99-99');

export const manualPricePartitionKey = (sub: string, symbol: string): string => `USER#${sub}#PRICE#${symbol}`;
export const feedPricePartitionKey = (symbol: string): string => `PRICE#${symbol}`;
export const manualFxPartitionKey = (sub: string, base: string, quote: string): string =>
  `USER#${sub}#FX#${base}#${quote}`;
export const feedFxPartitionKey = (base: string, quote: string): string => `FX#${base}#${quote}`;

export const TRACKED_SYMBOLS_PARTITION_KEY = 'REFRESH#SYMBOLS';
export const trackedSymbolSortKey = (symbol: string): string => `SYMBOL#${symbol}`;

/**
 * The symbol of a refresh-list item that is still live at `now`, else undefined: DynamoDB's TTL deletes an
 * expired item only some time later, so a reader checks `expiresAt` itself.
 */
export const liveTrackedSymbol = (item: Record<string, unknown>, now: string): string | undefined =>
  Number(item.expiresAt) > Date.parse(now) / 1000 && typeof item.symbol === 'string'
    ? item.symbol
    : undefined;

/** Whose value an item is: one user's manual entry, or the feed's (seen by every user). */
export type MarketDataScope = { kind: 'manual'; sub: string } | { kind: 'feed' };

export interface PriceClose {
  entity: typeof PRICE_CLOSE_ENTITY;
  scope: MarketDataScope;
  symbol: string;
  date: string;
  close: string;
  currency: string;
  source: string;
}

export interface FeedQuote {
  entity: typeof QUOTE_ENTITY;
  scope: { kind: 'feed' };
  symbol: string;
  price: string;
  currency: string;
  /** ISO-8601 UTC time of the price at its source. */
  time: string;
  previousClose?: string;
  source: string;
}

export interface FxRate {
  entity: typeof FX_RATE_ENTITY;
  scope: MarketDataScope;
  base: string;
  quote: string;
  date: string;
  /** 1 base = rate quote. */
  rate: string;
  source: string;
}

export type MarketDataValue = PriceClose | FeedQuote | FxRate;
type Item = Record<string, unknown>;

const ownerOf = (scope: MarketDataScope) => (scope.kind === 'manual' ? { ownerSub: scope.sub } : {});

/** The stored item of a daily close (manual when scoped to a user, whose source is then "manual"). */
export const priceCloseItem = (close: Omit<PriceClose, 'entity'>, extra: Item = {}): Item => ({
  ...extra,
  pk:
    close.scope.kind === 'manual'
      ? manualPricePartitionKey(close.scope.sub, close.symbol)
      : feedPricePartitionKey(close.symbol),
  sk: dateSortKey(close.date),
  entity: PRICE_CLOSE_ENTITY,
  symbol: close.symbol,
  date: close.date,
  close: close.close,
  currency: close.currency,
  source: close.scope.kind === 'manual' ? MANUAL_PRICE_SOURCE : close.source,
  ...ownerOf(close.scope),
});

/** The stored item of a symbol's latest feed quote (one per symbol, overwritten). */
export const feedQuoteItem = (quote: Omit<FeedQuote, 'entity' | 'scope'>, extra: Item = {}): Item => ({
  ...extra,
  pk: feedPricePartitionKey(quote.symbol),
  sk: QUOTE_SORT_KEY,
  entity: QUOTE_ENTITY,
  symbol: quote.symbol,
  price: quote.price,
  currency: quote.currency,
  time: quote.time,
  ...(quote.previousClose === undefined ? {} : { previousClose: quote.previousClose }),
  source: quote.source,
});

/** The stored item of a daily FX rate (manual when scoped to a user). */
export const fxRateItem = (rate: Omit<FxRate, 'entity'>, extra: Item = {}): Item => ({
  ...extra,
  pk:
    rate.scope.kind === 'manual'
      ? manualFxPartitionKey(rate.scope.sub, rate.base, rate.quote)
      : feedFxPartitionKey(rate.base, rate.quote),
  sk: dateSortKey(rate.date),
  entity: FX_RATE_ENTITY,
  base: rate.base,
  quote: rate.quote,
  date: rate.date,
  rate: rate.rate,
  source: rate.scope.kind === 'manual' ? MANUAL_PRICE_SOURCE : rate.source,
  ...ownerOf(rate.scope),
});

export class MalformedMarketDataItemError extends Error {
  override readonly name = 'MalformedMarketDataItemError';
  constructor(
    readonly pk: unknown,
    readonly sk: unknown,
    reason: string,
  ) {
    super(`MarketData item ${String(pk)} / ${String(sk)} is malformed: ${reason}`);
  }
}

const MANUAL_PRICE_PK = /^USER#(.+)#PRICE#([^#]+)$/;
const FEED_PRICE_PK = /^PRICE#([^#]+)$/;
const MANUAL_FX_PK = /^USER#(.+)#FX#([A-Z]{3})#([A-Z]{3})$/;
const FEED_FX_PK = /^FX#([A-Z]{3})#([A-Z]{3})$/;
const DATE_SK = /^DATE#(\d{4}-\d{2}-\d{2})$/;

/**
 * Reads a MarketData item (a table item or an unmarshalled stream image) as the value it stores. Answers
 * `undefined` for items that are not prices, quotes or rates (series headers, refresh bookkeeping); throws
 * `MalformedMarketDataItemError` when an item of one of those entities does not match its own key, so a
 * consumer reports it instead of revaluing with it.
 */
export const readMarketDataItem = (item: Item): MarketDataValue | undefined => {
  const { pk, sk, entity } = item;
  if (entity !== PRICE_CLOSE_ENTITY && entity !== QUOTE_ENTITY && entity !== FX_RATE_ENTITY) return undefined;
  const fail = (reason: string): never => {
    throw new MalformedMarketDataItemError(pk, sk, reason);
  };
  const text = (field: string): string => {
    const value = item[field];
    return typeof value === 'string' && value !== '' ? value : fail(`${field} is missing`);
  };
  if (typeof pk !== 'string' || typeof sk !== 'string') return fail('keys are missing');
  const keyDate = DATE_SK.exec(sk)?.[1];

  if (entity === QUOTE_ENTITY) {
    const symbol = FEED_PRICE_PK.exec(pk)?.[1];
    if (symbol === undefined || sk !== QUOTE_SORT_KEY || text('symbol') !== symbol)
      return fail('a quote must sit at PRICE#<symbol> / QUOTE');
    const previousClose = item.previousClose;
    return {
      entity,
      scope: { kind: 'feed' },
      symbol,
      price: text('price'),
      currency: text('currency'),
      time: text('time'),
      ...(typeof previousClose === 'string' ? { previousClose } : {}),
      source: text('source'),
    };
  }

  if (keyDate === undefined || text('date') !== keyDate) return fail('sk must be DATE#<its date>');
  const scopeOf = (manual: RegExpExecArray | null, feed: RegExpExecArray | null) => {
    if (manual !== null) {
      const sub = manual[1] ?? fail('owner is missing');
      if (text('ownerSub') !== sub) fail('ownerSub differs from the owner in pk');
      return { scope: { kind: 'manual', sub } as MarketDataScope, groups: manual.slice(2) };
    }
    if (feed !== null) return { scope: { kind: 'feed' } as MarketDataScope, groups: feed.slice(1) };
    return fail(`pk does not fit a ${String(entity)}`);
  };

  if (entity === PRICE_CLOSE_ENTITY) {
    const { scope, groups } = scopeOf(MANUAL_PRICE_PK.exec(pk), FEED_PRICE_PK.exec(pk));
    if (text('symbol') !== groups[0]) fail('symbol differs from the symbol in pk');
    return {
      entity,
      scope,
      symbol: text('symbol'),
      date: keyDate,
      close: text('close'),
      currency: text('currency'),
      source: text('source'),
    };
  }

  const { scope, groups } = scopeOf(MANUAL_FX_PK.exec(pk), FEED_FX_PK.exec(pk));
  if (text('base') !== groups[0] || text('quote') !== groups[1]) fail('pair differs from the pair in pk');
  return {
    entity,
    scope,
    base: text('base'),
    quote: text('quote'),
    date: keyDate,
    rate: text('rate'),
    source: text('source'),
  };
};

/** A price as of a moment: a daily close (as of its date) or a quote (as of its time). */
export interface DatedPrice {
  price: string;
  currency: string;
  /** `YYYY-MM-DD` of a close or ISO time of a quote. */
  asOf: string;
  source: string;
}

/**
 * The latest price among a user's manual close, the feed's latest close and the feed's quote: the most
 * recent date wins; on the same date the manual close wins over both feed values, and a feed quote over
 * the feed close of its own date.
 */
export const latestPriceOf = (candidates: {
  manualClose?: DatedPrice;
  feedClose?: DatedPrice;
  feedQuote?: DatedPrice;
}): DatedPrice | undefined => {
  // Rank on the same day: manual 2, quote 1, feed close 0; later dates first.
  const ranked = [
    { price: candidates.manualClose, rank: 2 },
    { price: candidates.feedQuote, rank: 1 },
    { price: candidates.feedClose, rank: 0 },
  ].filter((entry): entry is { price: DatedPrice; rank: number } => entry.price !== undefined);
  ranked.sort((a, b) => {
    const day = b.price.asOf.slice(0, 10).localeCompare(a.price.asOf.slice(0, 10));
    return day !== 0 ? day : b.rank - a.rank;
  });
  return ranked[0]?.price;
};

/** Places kept when a rate is derived from the opposite pair's (the wire's 12 decimal places). */
export const INVERSE_RATE_PLACES = 12;

/**
 * The rate of a pair derived from the stored rate of its opposite pair: 1 / rate, rounded half-even to 12
 * places, trailing zeros dropped. Both market-data (GET /fx) and positions (base-currency figures) derive
 * it here, so they agree to the last digit and the result is always a valid wire decimal.
 */
export const inverseRate = (rate: string): string =>
  canonicalDecimal(new Decimal(1).div(rate).round(INVERSE_RATE_PLACES));
