import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type RetryPolicy } from '@kupala/trade-model';

/** The shared capped-backoff retry policy, plus how many BatchWriteItem calls may be in flight at once. */
export interface BatchOptions extends RetryPolicy {
  concurrency: number;
}

/** Eight calls per chunk with waits of at most 50 ms … 2 s (full jitter); four chunks in flight. */
export const DEFAULT_BATCH_OPTIONS: BatchOptions = {
  concurrency: 4,
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

/**
 * Puts items through trade-model's `batchWriteAll` (25 a call, unprocessed items retried with capped
 * exponential backoff; RetriesExhaustedError, a 503, when some are left). Every put is an idempotent
 * upsert, so a failed call may be repeated whole. Answers how many items were written.
 */
export const putInBatches = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchOptions = DEFAULT_BATCH_OPTIONS,
): Promise<number> => {
  await batchWriteAll(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
    options,
    options.concurrency,
  );
  return items.length;
};
