import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface BatchOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency: number;
  /** Calls per chunk before unprocessed items count as a failure. */
  maxAttempts: number;
  /** Ceiling of the first back-off; doubles per attempt up to `maxDelayMs`, full jitter. */
  baseDelayMs: number;
  maxDelayMs?: number;
  random?: () => number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = {
  concurrency: 4,
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};
const BATCH_SIZE = 25; // DynamoDB's BatchWriteItem limit

export class UnprocessedWritesError extends Error {
  override readonly name = 'UnprocessedWritesError';
  constructor(readonly remaining: number) {
    super(`${remaining} writes were still unprocessed after retries`);
  }
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/**
 * Puts items in chunks of 25, a few chunks at a time, retrying exactly what DynamoDB leaves unprocessed
 * (throttling) with capped exponential backoff and full jitter. Every put is an idempotent upsert, so a
 * failed call may be repeated whole.
 */
export const putInBatches = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchOptions = DEFAULT_BATCH_OPTIONS,
): Promise<number> => {
  const random = options.random ?? Math.random;
  const writeChunk = async (chunk: WriteRequest[]): Promise<void> => {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 1; ; attempt += 1) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      if (pending.length === 0) return;
      if (attempt >= options.maxAttempts) throw new UnprocessedWritesError(pending.length);
      const ceiling = Math.min(
        options.maxDelayMs ?? Number.POSITIVE_INFINITY,
        options.baseDelayMs * 2 ** (attempt - 1),
      );
      await sleep(Math.floor(random() * ceiling));
    }
  };
  const chunks = chunksOf(
    items.map((Item) => ({ PutRequest: { Item } })),
    BATCH_SIZE,
  );
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next];
      next += 1;
      if (chunk !== undefined) await writeChunk(chunk);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, chunks.length) }, worker));
  return items.length;
};
