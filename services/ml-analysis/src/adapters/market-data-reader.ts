import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  dateSortKey,
  feedPricePartitionKey,
  logger,
  MalformedMarketDataItemError,
  manualPricePartitionKey,
  queryAll,
  readMarketDataItem,
} from '@kupala/trade-model';
import type { MarketUniverseSource, SeenClose } from '../domain/market-universe-dataset';

/**
 * Reads market-data's MarketData table, read-only (Query only), through trade-model's key layout: a symbol's
 * daily closes as the caller sees them (their manual close wins over the feed's).
 */
/** An item as the value it stores; a malformed one is logged and skipped, so it never fails a whole universe. */
const readClose = (item: Record<string, unknown>) => {
  try {
    return readMarketDataItem(item);
  } catch (error: unknown) {
    if (!(error instanceof MalformedMarketDataItemError)) throw error;
    logger.warn('market universe skips a malformed MarketData item', { error });
    return undefined;
  }
};

export const buildMarketDataReader = (
  client: DynamoDBDocumentClient,
  tableName: string,
): MarketUniverseSource => {
  const allItems = (pk: string, range: { from: string; to: string }) =>
    queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':from': dateSortKey(range.from),
        ':to': dateSortKey(range.to),
      },
    });

  return {
    async dailyCloses(sub, symbol, from, to) {
      const [feed, manual] = await Promise.all([
        allItems(feedPricePartitionKey(symbol), { from, to }),
        allItems(manualPricePartitionKey(sub, symbol), { from, to }),
      ]);
      const byDate = new Map<string, SeenClose>();
      // the feed's first, then the caller's: a manual close replaces the feed's of its date
      for (const item of [...feed, ...manual]) {
        const value = readClose(item);
        if (value?.entity === 'PRICE_CLOSE')
          byDate.set(value.date, { date: value.date, close: value.close, currency: value.currency });
      }
      return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
    },
  };
};
