import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger, type ServerMessage } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ImportProgressSideEffects } from '../sideEffects';
import { epochSeconds } from './connection';
import { deliverToAll } from './delivery';

/** A job's progress and whose connections should see it (the owner, from the item's key). */
export interface JobProgress<M extends ServerMessage = ServerMessage> {
  sub: string;
  message: M;
}

/** How one kind of job item of a table stream reads as a progress message. */
export interface ProgressReader {
  /** What the job is, for logs ("IMPORT", "ANALYSIS"). */
  entity: string;
  /** The message a change means, or undefined when it moves nothing a client sees. */
  progressOf(
    newImage: Record<string, unknown> | undefined,
    oldImage: Record<string, unknown> | undefined,
  ): JobProgress | undefined;
  /** The error `progressOf` throws on an item it cannot read. */
  isMalformed(error: unknown): boolean;
}

const imageOf = (image: unknown) =>
  image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);

/**
 * A table stream consumer (filtered to the job's items at the event source, and again by the reader) that
 * pushes each progress to every open connection of the job's owner. An unreadable record is logged and skipped
 * (it is a notification: nothing to recompute); a failure to reach the connections store reports that record in
 * `batchItemFailures`, so Lambda retries from it, in order. A redelivery pushes the same progress again, which
 * a client ignores (`updatedAt`).
 */
export const progressPusher =
  (reader: ProgressReader, effects: () => ImportProgressSideEffects) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const dependencies = effects();
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      let progress: JobProgress | undefined;
      try {
        progress = reader.progressOf(imageOf(record.dynamodb?.NewImage), imageOf(record.dynamodb?.OldImage));
      } catch (error: unknown) {
        if (!reader.isMalformed(error)) throw error;
        logger.error(`Unreadable ${reader.entity} stream record skipped`, { sequence, error });
        continue;
      }
      if (progress === undefined) continue;
      try {
        const connections = await dependencies.connectionsOf(progress.sub, epochSeconds(dependencies.now()));
        await deliverToAll(dependencies, connections, [progress.message]);
      } catch (error: unknown) {
        logger.error(`Pushing ${reader.entity} progress failed`, { sequence, error });
        return { batchItemFailures: [{ itemIdentifier: sequence }] };
      }
    }
    return { batchItemFailures: [] };
  };
