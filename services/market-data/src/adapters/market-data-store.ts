import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  dateSortKey,
  decodeCursor,
  encodeCursor,
  FIRST_DATE_SORT_KEY,
  feedFxPartitionKey,
  feedPricePartitionKey,
  feedQuoteItem,
  fxRateItem,
  type HistoricalClose,
  isConditionFailure,
  LAST_DATE_SORT_KEY,
  liveTrackedSymbol,
  manualFxPartitionKey,
  manualPricePartitionKey,
  type Page,
  type PageRequest,
  priceCloseItem,
  QUOTE_SORT_KEY,
  readMarketDataItem,
  TRACKED_SYMBOLS_PARTITION_KEY,
  trackedSymbolSortKey,
  ValidationError,
} from '@kupala/trade-model';
import type { ProviderClose, ProviderQuote } from '../domain/providers';
import { type BatchOptions, DEFAULT_BATCH_OPTIONS, putInBatches } from './batch-write';

export interface StoredQuote extends ProviderQuote {
  source: string;
}

/** A stored rate of one pair: 1 base = rate quote. */
export interface StoredRate {
  date: string;
  rate: string;
  source: string;
}

export interface DateRange {
  from?: string;
  to?: string;
}

// Refresh bookkeeping (this service's own; the positions service will publish holders instead, see README).
// The symbols' list is shared with ml-analysis (its market universe reads it): its keys live in trade-model.
const TRACKED_PAIRS_KEY = 'REFRESH#FX';
const pairSortKey = (base: string, quote: string) => `PAIR#${base}#${quote}`;
/** A feed that did not know a symbol is not asked again for a day. */
const UNKNOWN_SORT_KEY = 'FEED_UNKNOWN';
const TRACKING_DAYS = 30;
const epochSecondsIn = (now: string, days: number) => Math.floor(Date.parse(now) / 1000) + days * 86_400;

/**
 * DynamoDB access to the feed's data (quotes, daily closes, FX rates, all global), the caller's manual FX
 * rates, and the list of symbols and pairs the scheduled refresh keeps current.
 */
export const buildMarketDataStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  batchOptions: BatchOptions = DEFAULT_BATCH_OPTIONS,
) => {
  const latestDated = async (pk: string, from = FIRST_DATE_SORT_KEY, to = LAST_DATE_SORT_KEY) => {
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return result.Items?.[0];
  };
  const rateOf = (item: Record<string, unknown> | undefined): StoredRate | undefined => {
    const value = item === undefined ? undefined : readMarketDataItem(item);
    return value?.entity === 'FX_RATE'
      ? { date: value.date, rate: value.rate, source: value.source }
      : undefined;
  };
  const track = async (pk: string, sk: string, attributes: Record<string, string>, now: string) => {
    const names = Object.keys(attributes);
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk, sk },
        UpdateExpression: `SET entity = :entity, lastRequestedAt = :now, expiresAt = :expires${names
          .map((name) => `, #${name} = :${name}`)
          .join('')}`,
        // "base" and others are reserved words in update expressions
        ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: {
          ':entity': 'REFRESH_ENTRY',
          ':now': now,
          ':expires': epochSecondsIn(now, TRACKING_DAYS),
          ...Object.fromEntries(names.map((name) => [`:${name}`, attributes[name]])),
        },
      }),
    );
  };
  const listTracked = async (pk: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  };

  return {
    /** The feed's latest quote of a symbol, and whether the feed recently said it does not know it. */
    async feedQuote(symbol: string, now: string): Promise<{ quote?: StoredQuote; unknownToFeed: boolean }> {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :unknown AND :quote',
          ExpressionAttributeValues: {
            ':pk': feedPricePartitionKey(symbol),
            ':unknown': UNKNOWN_SORT_KEY,
            ':quote': QUOTE_SORT_KEY,
          },
        }),
      );
      let quote: StoredQuote | undefined;
      let unknownToFeed = false;
      for (const item of result.Items ?? []) {
        if (item.sk === UNKNOWN_SORT_KEY) unknownToFeed = Number(item.expiresAt) > Date.parse(now) / 1000;
        const value = readMarketDataItem(item);
        if (value?.entity === 'QUOTE') {
          const { entity: _entity, scope: _scope, ...stored } = value;
          quote = stored;
        }
      }
      return { ...(quote === undefined ? {} : { quote }), unknownToFeed };
    },

    /**
     * Stores a feed quote unless a newer one is already there (a slow refresh never moves the price back);
     * answers whether it was written.
     */
    async putFeedQuote(quote: StoredQuote): Promise<boolean> {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: feedQuoteItem(quote),
            ConditionExpression: 'attribute_not_exists(pk) OR #time < :time',
            ExpressionAttributeNames: { '#time': 'time' },
            ExpressionAttributeValues: { ':time': quote.time },
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async markUnknownToFeed(symbol: string, now: string): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: feedPricePartitionKey(symbol),
            sk: UNKNOWN_SORT_KEY,
            entity: 'FEED_UNKNOWN',
            symbol,
            expiresAt: epochSecondsIn(now, 1),
          },
        }),
      );
    },

    /** The feed's latest stored close date of a symbol (where the next refresh continues). */
    async latestFeedCloseDate(symbol: string): Promise<string | undefined> {
      const item = await latestDated(feedPricePartitionKey(symbol));
      return item === undefined ? undefined : String(item.date);
    },

    /** The feed's latest stored close of a symbol. */
    async latestFeedClose(
      symbol: string,
    ): Promise<{ date: string; close: string; currency: string; source: string } | undefined> {
      const item = await latestDated(feedPricePartitionKey(symbol));
      return item === undefined
        ? undefined
        : {
            date: String(item.date),
            close: String(item.close),
            currency: String(item.currency),
            source: String(item.source),
          };
    },

    async putFeedCloses(symbol: string, currency: string, source: string, closes: readonly ProviderClose[]) {
      return putInBatches(
        client,
        tableName,
        closes.map((close) =>
          priceCloseItem({ scope: { kind: 'feed' }, symbol, currency, source, ...close }),
        ),
        batchOptions,
      );
    },

    /**
     * The symbol's daily closes in date order within an inclusive range: the feed's merged with the
     * caller's manual ones, the manual close winning on a date with both. The cursor is the last date
     * answered, bound to the caller's manual partition of the symbol and to the range.
     */
    async listCloses(
      sub: string,
      symbol: string,
      range: DateRange,
      page: PageRequest,
    ): Promise<Page<HistoricalClose>> {
      const manualPk = manualPricePartitionKey(sub, symbol);
      const feedPk = feedPricePartitionKey(symbol);
      const from = range.from === undefined ? FIRST_DATE_SORT_KEY : dateSortKey(range.from);
      const to = range.to === undefined ? LAST_DATE_SORT_KEY : dateSortKey(range.to);
      const startKey = decodeCursor(page.cursor, { pk: manualPk });
      const after = startKey?.sk;
      if (
        startKey !== undefined &&
        (Object.keys(startKey).length !== 2 || after === undefined || after < from || after > to)
      ) {
        throw new ValidationError('Request is invalid', [
          { path: 'query.cursor', message: 'does not belong to this symbol and date range' },
        ]);
      }
      const read = (pk: string) =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
            Limit: page.limit,
            ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
          }),
        );
      const [manual, feed] = await Promise.all([read(manualPk), read(feedPk)]);
      const byDate = new Map<string, HistoricalClose>();
      for (const item of [...(feed.Items ?? []), ...(manual.Items ?? [])]) {
        const value = readMarketDataItem(item);
        if (value?.entity === 'PRICE_CLOSE')
          byDate.set(value.date, {
            date: value.date,
            close: value.close,
            currency: value.currency,
            source: value.source,
          });
      }
      const merged = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
      const items = merged.slice(0, page.limit);
      const last = items.at(-1);
      const more =
        merged.length > page.limit ||
        (items.length === page.limit &&
          (manual.LastEvaluatedKey !== undefined || feed.LastEvaluatedKey !== undefined));
      return {
        items,
        nextCursor:
          more && last !== undefined ? encodeCursor({ pk: manualPk, sk: dateSortKey(last.date) }) : null,
      };
    },

    /**
     * The latest rate of one pair on or before `date` (and not before `notBefore`), from the caller's
     * manual rates and from the feed.
     */
    async ratesOnOrBefore(
      sub: string,
      base: string,
      quote: string,
      window: { date?: string; notBefore?: string },
    ): Promise<{ manual?: StoredRate; feed?: StoredRate }> {
      const from = window.notBefore === undefined ? FIRST_DATE_SORT_KEY : dateSortKey(window.notBefore);
      const to = window.date === undefined ? LAST_DATE_SORT_KEY : dateSortKey(window.date);
      const [manual, feed] = await Promise.all([
        latestDated(manualFxPartitionKey(sub, base, quote), from, to).then(rateOf),
        latestDated(feedFxPartitionKey(base, quote), from, to).then(rateOf),
      ]);
      return { ...(manual === undefined ? {} : { manual }), ...(feed === undefined ? {} : { feed }) };
    },

    async putManualFxRates(
      sub: string,
      base: string,
      quote: string,
      rates: readonly { date: string; rate: string }[],
      now: string,
    ) {
      return putInBatches(
        client,
        tableName,
        rates.map((rate) =>
          fxRateItem(
            { scope: { kind: 'manual', sub }, base, quote, source: 'manual', ...rate },
            { updatedAt: now },
          ),
        ),
        batchOptions,
      );
    },

    async latestManualFxRate(sub: string, base: string, quote: string): Promise<StoredRate | undefined> {
      return rateOf(await latestDated(manualFxPartitionKey(sub, base, quote)));
    },

    async latestFeedFxDate(base: string, quote: string): Promise<string | undefined> {
      return rateOf(await latestDated(feedFxPartitionKey(base, quote)))?.date;
    },

    async putFeedFxRates(base: string, quote: string, source: string, rates: readonly ProviderClose[]) {
      return putInBatches(
        client,
        tableName,
        rates.map((rate) =>
          fxRateItem({ scope: { kind: 'feed' }, base, quote, source, date: rate.date, rate: rate.close }),
        ),
        batchOptions,
      );
    },

    /** Keeps a symbol on the refresh list for 30 days from its last request. */
    trackSymbol: (symbol: string, now: string) =>
      track(TRACKED_SYMBOLS_PARTITION_KEY, trackedSymbolSortKey(symbol), { symbol }, now),
    trackPair: (base: string, quote: string, now: string) =>
      track(TRACKED_PAIRS_KEY, pairSortKey(base, quote), { base, quote }, now),

    /** Takes a symbol off the refresh list (no provider knows it). */
    async untrackSymbol(symbol: string): Promise<void> {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: TRACKED_SYMBOLS_PARTITION_KEY, sk: trackedSymbolSortKey(symbol) },
        }),
      );
    },

    async trackedSymbols(now: string): Promise<string[]> {
      return (await listTracked(TRACKED_SYMBOLS_PARTITION_KEY))
        .map((item) => liveTrackedSymbol(item, now))
        .filter((symbol): symbol is string => symbol !== undefined);
    },
    async trackedPairs(now: string): Promise<{ base: string; quote: string }[]> {
      const live = (item: Record<string, unknown>) => Number(item.expiresAt) > Date.parse(now) / 1000;
      return (await listTracked(TRACKED_PAIRS_KEY))
        .filter(live)
        .map((item) => ({ base: String(item.base), quote: String(item.quote) }));
    },
  };
};

export type MarketDataStore = ReturnType<typeof buildMarketDataStore>;
