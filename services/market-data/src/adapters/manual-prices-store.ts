import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DailyClose,
  type DailyCloseInput,
  FIRST_DATE_SORT_KEY,
  isConditionFailure,
  LAST_DATE_SORT_KEY,
  MANUAL_PRICE_SOURCE,
  manualPricePartitionKey,
  priceCloseItem,
  SERIES_SORT_KEY,
} from '@kupala/trade-model';
import { type BatchOptions, DEFAULT_BATCH_OPTIONS, putInBatches } from './batch-write';

/** Outcome of fixing a series' currency: the currency it already has when that differs. */
export type CurrencyClaim = { accepted: true } | { accepted: false; currency: string | undefined };

// Manual prices are the caller's own: one user's close never moves another user's valuations.
const seriesKey = manualPricePartitionKey;

/** A manual close with the currency of its series. */
export interface ManualClose extends DailyClose {
  currency: string;
}

/** DynamoDB access for the caller's manual daily closes (MarketData table; its stream drives revaluation). */
export const buildManualPricesStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  batchOptions: BatchOptions = DEFAULT_BATCH_OPTIONS,
) => {
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
      const items = closes.map((close) =>
        priceCloseItem(
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
      );
      return putInBatches(client, tableName, items, batchOptions);
    },

    /** The caller's latest stored close of `symbol`, if any. */
    async latestClose(sub: string, symbol: string): Promise<ManualClose | undefined> {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': seriesKey(sub, symbol),
            ':first': FIRST_DATE_SORT_KEY,
            ':last': LAST_DATE_SORT_KEY,
          },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = result.Items?.[0];
      return item === undefined
        ? undefined
        : { date: String(item.date), close: String(item.close), currency: String(item.currency) };
    },
  };
};

export type ManualPricesStore = ReturnType<typeof buildManualPricesStore>;
