import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type DailyClose,
  type DailyCloseInput,
  type DynamoKey,
  dateSortKey,
  decodeCursor,
  encodeCursor,
  FIRST_DATE_SORT_KEY,
  type HistoricalClose,
  isConditionFailure,
  LAST_DATE_SORT_KEY,
  MANUAL_PRICE_SOURCE,
  manualPricePartitionKey,
  type Page,
  type PageRequest,
  priceCloseItem,
  SERIES_SORT_KEY,
  ValidationError,
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

export class UnprocessedWritesError extends Error {
  override readonly name = 'UnprocessedWritesError';
  constructor(readonly remaining: number) {
    super(`${remaining} price writes were still unprocessed after retries`);
  }
}

// Manual prices are the caller's own: one user's close never moves another user's valuations.
const seriesKey = manualPricePartitionKey;
const closeSortKey = dateSortKey;
const FIRST_CLOSE = FIRST_DATE_SORT_KEY;
const LAST_CLOSE = LAST_DATE_SORT_KEY;

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
  const writeChunk = async (chunk: WriteRequest[]): Promise<void> => {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 1; ; attempt += 1) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      if (pending.length === 0) return;
      if (attempt >= batchOptions.maxAttempts) throw new UnprocessedWritesError(pending.length);
      await sleep(batchOptions.baseDelayMs * 2 ** (attempt - 1));
    }
  };

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
          Item: priceCloseItem(
            {
              scope: { kind: 'manual', sub },
              symbol,
              date: close.date,
              close: close.close,
              currency,
              source: MANUAL_PRICE_SOURCE,
            },
            { updatedAt: now },
          ),
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
      const startKey = decodeCursor(page.cursor, { pk });
      // A cursor from another range (or forged) would make DynamoDB fail the query: refuse it as input.
      const startSortKey = startKey?.sk;
      if (
        startKey !== undefined &&
        (Object.keys(startKey).length !== 2 ||
          startSortKey === undefined ||
          startSortKey < from ||
          startSortKey > to)
      ) {
        throw new ValidationError('Request is invalid', [
          { path: 'query.cursor', message: 'does not belong to this symbol and date range' },
        ]);
      }
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
