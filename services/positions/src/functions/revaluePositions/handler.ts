import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger, type MarketDataValue, readMarketDataItem } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type RevalueDeps, revalue } from '../../domain/revalue';
import { revalueSideEffects } from '../../positionsSideEffects';
import { batchItemFailures } from '../../stream-batch';

const imageOf = (record: DynamoDBRecord) => {
  const image = record.eventName === 'REMOVE' ? record.dynamodb?.OldImage : record.dynamodb?.NewImage;
  return image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);
};

const keyOf = (value: MarketDataValue): string =>
  [
    value.entity === 'FX_RATE' ? `FX#${value.base}#${value.quote}` : `PRICE#${value.symbol}`,
    value.scope.kind === 'manual' ? value.scope.sub : '*',
  ].join('#');

/**
 * MarketData stream consumer (filtered to prices, quotes and FX rates at the event source): one revaluation
 * per (symbol or pair, owner) of the batch, since a revaluation reads the table as it is now. A record that
 * cannot be read, or a revaluation that fails, is reported in `batchItemFailures`; the others proceed.
 */
export const buildHandler =
  (effects: () => RevalueDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const deps = effects();
    const failed: string[] = [];
    const changes = new Map<string, { sequence: string; value: MarketDataValue }>();
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      try {
        const item = imageOf(record);
        const value = item === undefined ? undefined : readMarketDataItem(item);
        if (value !== undefined && !changes.has(keyOf(value))) changes.set(keyOf(value), { sequence, value });
      } catch (error: unknown) {
        logger.error('Unreadable MarketData stream record', { sequence, error });
        failed.push(sequence);
      }
    }
    for (const { sequence, value } of changes.values()) {
      try {
        await revalue(deps, value);
      } catch (error: unknown) {
        logger.error('Revaluation failed', { sequence, error });
        failed.push(sequence);
      }
    }
    return batchItemFailures(failed);
  };

export const main = buildHandler(revalueSideEffects);
