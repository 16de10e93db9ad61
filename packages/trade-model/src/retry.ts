import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from './http/errors';

/** How often and how patiently a retry loop tries again. */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  /** Ceiling of the first back-off; it doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform in [0, 1): the jitter source (tests pass a fixed one). */
  random?: () => number;
  /** Waits that long (tests pass one that records instead of waiting). */
  wait?: (ms: number) => Promise<unknown>;
}

/** Six calls, waits of at most 50, 100, 200, 400 and 800 ms: about 1.5 s in the worst case. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * The wait before attempt `attempt + 1` after `attempt` failed ("full jitter": uniform between 0 and the
 * capped exponential ceiling), so that clients throttled together do not retry together.
 */
export const backoffDelay = (attempt: number, policy: RetryPolicy): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
};

/** A retry loop gave up: maps to 503 so the caller retries later instead of seeing an internal error. */
export class RetriesExhaustedError extends ServiceUnavailableError {
  override readonly name = 'RetriesExhaustedError';
  constructor(
    readonly operation: string,
    readonly attempts: number,
    cause?: unknown,
  ) {
    super(`The service is busy (${operation}); nothing was changed by this attempt, retry shortly`, {
      cause,
    });
  }
}

/** One attempt's verdict: done with a value, or worth another try (with what went wrong). */
export type RetryStep<T> = { done: true; value: T } | { done: false; cause?: unknown };

/**
 * Runs `attempt` until it reports done, at most `policy.maxAttempts` times, with exponential back-off and
 * jitter between attempts; then throws RetriesExhaustedError (503). Errors `attempt` throws end the loop.
 */
export const retryWithBackoff = async <T>(
  operation: string,
  attempt: (attemptNumber: number) => Promise<RetryStep<T>>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> => {
  const wait = policy.wait ?? sleep;
  let cause: unknown;
  for (let attemptNumber = 1; attemptNumber <= policy.maxAttempts; attemptNumber += 1) {
    const step = await attempt(attemptNumber);
    if (step.done) return step.value;
    cause = step.cause;
    if (attemptNumber < policy.maxAttempts) await wait(backoffDelay(attemptNumber, policy));
  }
  throw new RetriesExhaustedError(operation, policy.maxAttempts, cause);
};

// DynamoDB's own limits per request
const BATCH_WRITE_SIZE = 25;
const BATCH_GET_SIZE = 100;

export type WriteRequest = Record<string, unknown>;

/**
 * BatchWriteItem of up to 25 requests, retrying exactly the items DynamoDB leaves unprocessed (what
 * throttling does) with back-off; RetriesExhaustedError when some are still left after the last attempt.
 */
export const batchWriteChunk = (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> => {
  let pending = [...requests];
  return retryWithBackoff(
    'batch write',
    async () => {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      return pending.length === 0 ? { done: true, value: undefined } : { done: false };
    },
    policy,
  );
};

/**
 * BatchWriteItem of any number of requests, 25 a call, at most `concurrency` calls in flight (default one
 * at a time). Every chunk retries its own unprocessed items; the first chunk that gives up rejects the whole.
 */
export const batchWriteAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  concurrency = 1,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const start = next;
      next += BATCH_WRITE_SIZE;
      await batchWriteChunk(client, tableName, requests.slice(start, start + BATCH_WRITE_SIZE), policy);
    }
  };
  const chunks = Math.ceil(requests.length / BATCH_WRITE_SIZE);
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, chunks)) }, worker));
};

/** BatchGetItem of any number of keys (100 a call), retrying unprocessed keys with back-off. */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  projection?: string,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<Record<string, unknown>[]> => {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_SIZE) {
    let pending = keys.slice(start, start + BATCH_GET_SIZE);
    await retryWithBackoff(
      'batch read',
      async () => {
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(projection === undefined ? {} : { ProjectionExpression: projection }),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[tableName] ?? []));
        pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
        return pending.length === 0 ? { done: true, value: undefined } : { done: false };
      },
      policy,
    );
  }
  return found;
};

export type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

// Reasons (per cancelled transaction item) and errors that say "busy, try again", not "refused".
const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);
const TRANSIENT_ERRORS = new Set([
  'TransactionConflictException',
  'TransactionInProgressException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

/** True for DynamoDB errors a later attempt can succeed past (throttling, conflicts). */
export const isTransientStorageError = (error: unknown): boolean =>
  error instanceof Error && TRANSIENT_ERRORS.has(error.name);

/** Reasons DynamoDB gives per item of a cancelled transaction, in item order ([] for any other error). */
export const cancellationCodes = (error: unknown): (string | undefined)[] => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
};

/**
 * TransactWriteItems with bounded retries: undefined when it committed; DynamoDB's reason per item when it
 * was refused (a failed condition…); conflicts and throttling are retried with back-off, then 503.
 */
export const transactWrite = (
  client: DynamoDBDocumentClient,
  items: TransactItems,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<(string | undefined)[] | undefined> =>
  retryWithBackoff(
    'transaction',
    async (): Promise<RetryStep<(string | undefined)[] | undefined>> => {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return { done: true, value: undefined };
      } catch (error: unknown) {
        if (isTransientStorageError(error)) return { done: false, cause: error };
        const codes = cancellationCodes(error);
        if (codes.length === 0) throw error;
        const refused = codes.some(
          (code) => code !== undefined && code !== 'None' && !TRANSIENT_REASONS.has(code),
        );
        return refused ? { done: true, value: codes } : { done: false, cause: error };
      }
    },
    policy,
  );
