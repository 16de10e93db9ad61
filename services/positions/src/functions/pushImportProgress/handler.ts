import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { epochSeconds } from '../../domain/connection';
import { deliverToAll } from '../../domain/delivery';
import {
  type ImportProgress,
  importProgressOf,
  MalformedImportRecordError,
} from '../../domain/import-progress';
import { type ImportProgressSideEffects, importProgressSideEffects } from '../../sideEffects';

const imageOf = (image: unknown) =>
  image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);

/**
 * Trades stream consumer (filtered to IMPORT items at the event source, and again here): pushes
 * `import.progress` to every open connection of the importing user. An unreadable record is logged and
 * skipped (it is a notification: nothing to recompute); a failure to reach the connections store reports
 * that record in `batchItemFailures`, so Lambda retries from it, in order. A redelivery pushes the same
 * progress again, which a client ignores (`updatedAt`).
 */
export const buildHandler =
  (effects: () => ImportProgressSideEffects = importProgressSideEffects) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const dependencies = effects();
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      let progress: ImportProgress | undefined;
      try {
        progress = importProgressOf(imageOf(record.dynamodb?.NewImage), imageOf(record.dynamodb?.OldImage));
      } catch (error: unknown) {
        if (!(error instanceof MalformedImportRecordError)) throw error;
        logger.error('Unreadable IMPORT stream record skipped', { sequence, error });
        continue;
      }
      if (progress === undefined) continue;
      try {
        const connections = await dependencies.connectionsOf(progress.sub, epochSeconds(dependencies.now()));
        await deliverToAll(dependencies, connections, [progress.message]);
      } catch (error: unknown) {
        logger.error('Pushing import progress failed', { sequence, error });
        return { batchItemFailures: [{ itemIdentifier: sequence }] };
      }
    }
    return { batchItemFailures: [] };
  };

export const main = buildHandler();
