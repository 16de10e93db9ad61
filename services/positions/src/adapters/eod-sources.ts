import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  dateSortKey,
  FIRST_DATE_SORT_KEY,
  feedPricePartitionKey,
  manualPricePartitionKey,
  mapWithConcurrency,
  queryAll,
  SERIES_SORT_KEY,
  type Trade,
} from '@kupala/trade-model';
import type { EodMarket } from '../domain/eod';
import type { MarketRequest } from '../domain/eod-run';
import { tradeEventOf } from '../domain/trade-events';
import { type DatedRates, type MarketDataReader, rateOn } from './market-data-reader';

type Item = Record<string, unknown>;

/**
 * What an EOD build reads of the Trades table (owned by the trades service; read-only): a portfolio's booked
 * trades (its partition's `TRADE#` items, the source of truth, so a build never waits for the positions
 * consumer).
 */
export const buildTradesSource = (client: DynamoDBDocumentClient, tradesTableName: string) => ({
  async tradesOf(sub: string, portfolioId: string): Promise<Trade[]> {
    const items = await queryAll(client, {
      TableName: tradesTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trade)',
      FilterExpression: 'entity = :entity',
      ExpressionAttributeValues: {
        ':pk': `USER#${sub}#PORTFOLIO#${portfolioId}`,
        ':trade': 'TRADE#',
        ':entity': 'TRADE',
      },
      ConsistentRead: true,
    });
    return items.flatMap((item) => {
      const trade = tradeEventOf(String(item.sk), 'INSERT', item, undefined).trade;
      return trade === undefined ? [] : [trade];
    });
  },
});

export type TradesSource = ReturnType<typeof buildTradesSource>;

/** Closes of one symbol by date (ascending) in the instrument's currency: manual wins over the feed's per date. */
type CloseSeries = { dates: string[]; closes: string[] };

const lastOnOrBefore = (series: CloseSeries, date: string): number => {
  let low = 0;
  let high = series.dates.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((series.dates[middle] as string) <= date) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
};

/** Loads the feed closes of one query (a symbol's partition over a range), or answers them from a memo. */
export type FeedClosesCache = (key: string, load: () => Promise<Item[]>) => Promise<Item[]>;

/**
 * A short-lived memo of feed closes for the EOD builds of one warm container: the nightly run values every
 * portfolio at the same dates, and the feed's closes of a symbol are the same for all its holders, so a
 * container building many portfolios reads each symbol's feed once per `ttlMs` instead of once per portfolio.
 * Only feed closes (shared, written by the scheduled refresh) are kept; a user's manual closes are always read.
 * In-flight loads are shared; a failed load is forgotten; at `maxEntries` the oldest entry goes first.
 */
export const feedClosesMemo = (ttlMs = 60_000, maxEntries = 5_000, now = Date.now): FeedClosesCache => {
  const entries = new Map<string, { at: number; items: Promise<Item[]> }>();
  return (key, load) => {
    const found = entries.get(key);
    if (found !== undefined && now() - found.at < ttlMs) return found.items;
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    const items = load();
    entries.set(key, { at: now(), items });
    items.catch(() => {
      if (entries.get(key)?.items === items) entries.delete(key);
    });
    return items;
  };
};

/** No memo: every load reads. */
const uncached: FeedClosesCache = (_key, load) => load();

/** Feed and manual close reads of a batch in flight at once. */
const CLOSE_READS_IN_FLIGHT = 16;

/**
 * The markets a batch of EOD builds values with (read-only MarketData, through the shared key layout), one per
 * request: each symbol's daily closes up to `to` (manual winning over the feed's on a date; a close in another
 * currency than the instrument's is ignored) and each currency's rates to the base currency, read up front.
 *
 * What the batch shares is read once: the feed's closes of a symbol (one query per symbol and range, through
 * `feedCache`), and which manual series exist at all: one BatchGetItem of the series headers (market-data writes
 * a series' `SERIES` header before its first close) for every (owner, symbol) of the batch, so only the series
 * that exist are queried, instead of one query per held symbol and portfolio. A symbol the feed has no close of
 * in the range has its holders' manual series queried whatever the headers say (closes stored without one).
 */
export const loadEodMarkets = async (
  client: DynamoDBDocumentClient,
  marketDataTableName: string,
  rates: Pick<MarketDataReader, 'ratesOfPair'>,
  requests: readonly MarketRequest[],
  feedCache: FeedClosesCache = uncached,
): Promise<EodMarket[]> => {
  // newest first, down to the first close on or before the first day valued (one page in the common case)
  const closesOf = async (pk: string, request: MarketRequest): Promise<Item[]> => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: marketDataTableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': pk,
            ':from': FIRST_DATE_SORT_KEY,
            ':to': dateSortKey(request.to),
          },
          ProjectionExpression: '#date, #close, currency',
          ExpressionAttributeNames: { '#date': 'date', '#close': 'close' },
          ScanIndexForward: false,
          Limit: request.expectedCloses + 5,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      const oldest = items.at(-1);
      startKey =
        oldest !== undefined && String(oldest.date) <= request.from ? undefined : page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  };
  const feedKey = (symbol: string, request: MarketRequest) =>
    `${feedPricePartitionKey(symbol)}|${request.from}|${request.to}|${request.expectedCloses}`;
  const manualKey = (pk: string, request: MarketRequest) => `${pk}|${request.from}|${request.to}`;

  // what to read: each feed series once per range, the manual series' headers once per owner and symbol
  const feedLoads = new Map<string, { pk: string; request: MarketRequest }>();
  const headers = new Map<string, { pk: string; sk: string }>();
  for (const request of requests) {
    for (const { symbol } of request.instruments) {
      feedLoads.set(feedKey(symbol, request), { pk: feedPricePartitionKey(symbol), request });
      const pk = manualPricePartitionKey(request.sub, symbol);
      headers.set(pk, { pk, sk: SERIES_SORT_KEY });
    }
  }
  const existing = new Set(
    (await batchGetAll(client, marketDataTableName, [...headers.values()], 'pk')).map((item) =>
      String(item.pk),
    ),
  );
  const feed = new Map<string, Item[]>();
  const manual = new Map<string, Item[]>();
  const readAll = (
    loads: Map<string, { pk: string; request: MarketRequest }>,
    into: Map<string, Item[]>,
    cached: boolean,
  ) =>
    mapWithConcurrency([...loads], CLOSE_READS_IN_FLIGHT, async ([key, load]) => {
      const read = () => closesOf(load.pk, load.request);
      into.set(key, await (cached ? feedCache(key, read) : read()));
    });
  await readAll(feedLoads, feed, true);
  // a manual series is read when its header says it exists, and also when the feed has no close of the symbol
  // in the range: closes stored before their series had a header (old data) still count where they matter most
  const manualLoads = new Map<string, { pk: string; request: MarketRequest }>();
  for (const request of requests) {
    for (const { symbol } of request.instruments) {
      const pk = manualPricePartitionKey(request.sub, symbol);
      const withoutFeed = (feed.get(feedKey(symbol, request)) ?? []).length === 0;
      if (existing.has(pk) || withoutFeed) manualLoads.set(manualKey(pk, request), { pk, request });
    }
  }
  await readAll(manualLoads, manual, false);

  return mapWithConcurrency(requests, RATE_READS_IN_FLIGHT, async (request) => {
    const series = new Map<string, CloseSeries>();
    for (const { symbol, currency } of request.instruments) {
      const byDate = new Map<string, string>();
      const own = manual.get(manualKey(manualPricePartitionKey(request.sub, symbol), request)) ?? [];
      for (const item of [...(feed.get(feedKey(symbol, request)) ?? []), ...own]) {
        if (item.currency === currency) byDate.set(String(item.date), String(item.close));
      }
      const dates = [...byDate.keys()].sort();
      series.set(`${symbol}#${currency}`, { dates, closes: dates.map((date) => byDate.get(date) as string) });
    }
    const ratesTo = new Map<string, DatedRates>();
    for (const currency of request.currencies) {
      if (currency === request.baseCurrency) continue;
      ratesTo.set(
        currency,
        // from the first trade on: the engine converts each trade at its date's rate
        await rates.ratesOfPair(request.sub, currency, request.baseCurrency, request.ratesFrom, request.to),
      );
    }
    return marketOf(request.baseCurrency, series, ratesTo);
  });
};

/** Requests whose FX rates are read at once. */
const RATE_READS_IN_FLIGHT = 4;

const marketOf = (
  baseCurrency: string,
  series: ReadonlyMap<string, CloseSeries>,
  ratesTo: ReadonlyMap<string, DatedRates>,
): EodMarket => ({
  closeOn(symbol, currency, date) {
    const found = series.get(`${symbol}#${currency}`);
    const index = found === undefined ? -1 : lastOnOrBefore(found, date);
    return found === undefined || index < 0
      ? undefined
      : { close: found.closes[index] as string, date: found.dates[index] as string };
  },
  fx(from, to, date) {
    if (from === to) return '1';
    if (to !== baseCurrency) return undefined;
    const known = ratesTo.get(from);
    return known === undefined ? undefined : rateOn(known, date);
  },
});
