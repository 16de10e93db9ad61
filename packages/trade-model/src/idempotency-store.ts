import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamodb';
import {
  DEFAULT_RETRY_POLICY,
  isTransientStorageError,
  type RetryPolicy,
  type RetryStep,
  retryWithBackoff,
} from './retry';

/** A response exactly as it went out, so a replay is byte-for-byte the original. */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}
export interface IdempotencyScope {
  sub: string;
  operationId: string;
  key: string;
}
export type ReservationOutcome =
  | { kind: 'RESERVED' }
  | { kind: 'IN_PROGRESS'; requestHash: string }
  | { kind: 'COMPLETED'; requestHash: string; response: StoredResponse };

export interface IdempotencyStore {
  reserve(scope: IdempotencyScope, requestHash: string): Promise<ReservationOutcome>;
  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void>;
  release(scope: IdempotencyScope): Promise<void>;
}

const RECORD_TTL_SECONDS = 24 * 60 * 60;
// a reservation whose Lambda died is taken over after this long
const IN_PROGRESS_SECONDS = 60;

/**
 * Idempotency records in a service's own table (pk/sk strings, TTL on `expiresAt`), keyed per user and
 * operation so that two users sending the same key never share a result.
 */
export const buildIdempotencyStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
): IdempotencyStore => {
  const keyOf = (scope: IdempotencyScope) => ({
    pk: `USER#${scope.sub}#IDEMPOTENCY`,
    sk: `${scope.operationId}#${scope.key}`,
  });
  return {
    reserve(scope, requestHash) {
      // bounded: the record can vanish between the refused put and the read (released, expired)
      return retryWithBackoff(
        'idempotency reserve',
        async (): Promise<RetryStep<ReservationOutcome>> => {
          const now = nowSeconds();
          try {
            await client.send(
              new PutCommand({
                TableName: tableName,
                Item: {
                  ...keyOf(scope),
                  entity: 'IDEMPOTENCY',
                  status: 'IN_PROGRESS',
                  requestHash,
                  inProgressUntil: now + IN_PROGRESS_SECONDS,
                  expiresAt: now + RECORD_TTL_SECONDS,
                },
                ConditionExpression:
                  'attribute_not_exists(pk) OR (#status = :inProgress AND inProgressUntil < :now)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':now': now },
              }),
            );
            return { done: true, value: { kind: 'RESERVED' } };
          } catch (error: unknown) {
            if (isTransientStorageError(error)) return { done: false, cause: error };
            if (!isConditionFailure(error)) throw error;
          }
          const { Item } = await client.send(
            new GetCommand({ TableName: tableName, Key: keyOf(scope), ConsistentRead: true }),
          );
          if (Item === undefined) return { done: false };
          if (Item.status === 'COMPLETED') {
            return {
              done: true,
              value: {
                kind: 'COMPLETED',
                requestHash: String(Item.requestHash),
                response: Item.response as StoredResponse,
              },
            };
          }
          return { done: true, value: { kind: 'IN_PROGRESS', requestHash: String(Item.requestHash) } };
        },
        retryPolicy,
      );
    },
    async complete(scope, response) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(scope),
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE inProgressUntil',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': response },
        }),
      );
    },
    async release(scope) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: keyOf(scope) }));
    },
  };
};
