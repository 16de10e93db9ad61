import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchWriteChunk,
  type DailyClose,
  type DailyCloseInput,
  type DynamoKey,
  decodeCursor,
  encodeCursor,
  type HistoricalClose,
  isConditionFailure,
  MANUAL_PRICE_SOURCE,
  type Page,
  type PageRequest,
} from '@kupala/trade-model';

export type { Page, PageRequest } from '@kupala/trade-model';
export interface DateRange {
  from?: string;
  to?: string;
}

/** Outcome of fixing a series' currency: the currency it already has when that differs. */
export type CurrencyClaim = { accepted: true } | { accepted: false; currency: string | undefined };

export interface BatchOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency: number;
  /** Calls per chunk before unprocessed items count as a failure. */
  maxAttempts: number;
  /** First back-off; doubles per attempt (throttling is what leaves items unprocessed). */
  baseDelayMs: number;
}

const BATCH_SIZE = 25; // DynamoDB's BatchWriteItem limit
const DEFAULT_BATCH_OPTIONS: BatchOptions = { concurrency: 4, maxAttempts: 8, baseDelayMs: 50 };

// Manual prices are the caller's own: one user's close never moves another user's valuations.
const seriesKey = (sub: string, symbol: string) => `USER#${sub}#PRICE#${symbol}`;
const SERIES_SORT_KEY = 'SERIES';
const closeSortKey = (date: string) => `DATE#${date}`;
const FIRST_CLOSE = closeSortKey('0000-00-00');
const LAST_CLOSE = closeSortKey('9999-99-99');

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

const toHistoricalClose = (item: Record<string, unknown>): HistoricalClose => ({
  date: String(item.date),
  close: String(item.close),
  currency: String(item.currency),
  source: String(item.source),
});

const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/** DynamoDB access for the caller's manual daily closes (MarketData table; its stream drives revaluation). */
export const buildManualPricesStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  batchOptions: BatchOptions = DEFAULT_BATCH_OPTIONS,
) => {
  // the shared bounded retry (exponential back-off with jitter, then 503) over what stays unprocessed
  const retryPolicy = {
    maxAttempts: batchOptions.maxAttempts,
    baseDelayMs: batchOptions.baseDelayMs,
    maxDelayMs: batchOptions.baseDelayMs * 2 ** batchOptions.maxAttempts,
  };
  const writeChunk = (chunk: WriteRequest[]): Promise<void> =>
    batchWriteChunk(client, tableName, chunk, retryPolicy);

  return {
    /**
     * Fixes the currency of the caller's manual series of `symbol` on first use; later writes must use
     * the same currency. Answers the stored currency when it differs.
     */
    async claimCurrency(sub: string, symbol: string, currency: string, now: string): Promise<CurrencyClaim> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: seriesKey(sub, symbol), sk: SERIES_SORT_KEY },
            UpdateExpression:
              'SET entity = :entity, ownerSub = :sub, symbol = :symbol, currency = :currency, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)',
            ConditionExpression: 'attribute_not_exists(currency) OR currency = :currency',
            ExpressionAttributeValues: {
              ':entity': 'MANUAL_PRICE_SERIES',
              ':sub': sub,
              ':symbol': symbol,
              ':currency': currency,
              ':now': now,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { accepted: true };
      } catch (error: unknown) {
        if (!isConditionFailure(error)) throw error;
        const stored = (error as { Item?: { currency?: { S?: string } } }).Item?.currency?.S;
        return { accepted: false, currency: stored };
      }
    },

    /** Upserts closes (one per date) in chunks of 25, retrying what DynamoDB leaves unprocessed. */
    async writeCloses(
      sub: string,
      symbol: string,
      currency: string,
      closes: readonly DailyCloseInput[],
      now: string,
    ): Promise<number> {
      const requests: WriteRequest[] = closes.map((close) => ({
        PutRequest: {
          Item: {
            pk: seriesKey(sub, symbol),
            sk: closeSortKey(close.date),
            entity: 'MANUAL_PRICE',
            ownerSub: sub,
            symbol,
            date: close.date,
            close: close.close,
            currency,
            source: MANUAL_PRICE_SOURCE,
            updatedAt: now,
          },
        },
      }));
      const chunks = chunksOf(requests, BATCH_SIZE);
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const chunk = chunks[next];
          next += 1;
          if (chunk !== undefined) await writeChunk(chunk);
        }
      };
      await Promise.all(Array.from({ length: Math.min(batchOptions.concurrency, chunks.length) }, worker));
      return requests.length;
    },

    /** The caller's latest stored close of `symbol`, if any. */
    async latestClose(sub: string, symbol: string): Promise<DailyClose | undefined> {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': seriesKey(sub, symbol),
            ':first': FIRST_CLOSE,
            ':last': LAST_CLOSE,
          },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = result.Items?.[0];
      return item === undefined ? undefined : { date: String(item.date), close: String(item.close) };
    },

    /** The caller's closes of `symbol` in date order within an inclusive range. */
    async listCloses(
      sub: string,
      symbol: string,
      range: DateRange,
      page: PageRequest,
    ): Promise<Page<HistoricalClose>> {
      const pk = seriesKey(sub, symbol);
      const from = range.from === undefined ? FIRST_CLOSE : closeSortKey(range.from);
      const to = range.to === undefined ? LAST_CLOSE : closeSortKey(range.to);
      // a cursor from another range (or forged) would make DynamoDB fail the query: refused as input
      const startKey = decodeCursor(page.cursor, { equals: { pk }, sortKey: { name: 'sk', from, to } });
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        items: (result.Items ?? []).map(toHistoricalClose),
        nextCursor: encodeCursor(result.LastEvaluatedKey as DynamoKey | undefined),
      };
    },
  };
};

export type ManualPricesStore = ReturnType<typeof buildManualPricesStore>;
