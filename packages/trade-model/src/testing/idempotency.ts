import type {
  IdempotencyScope,
  IdempotencyStore,
  ReservationOutcome,
  StoredResponse,
} from '../idempotency-store';

/** An idempotency store in memory, for unit tests of idempotent handlers. */
export const inMemoryIdempotencyStore = (): IdempotencyStore & { size: () => number } => {
  const records = new Map<string, { requestHash: string; response?: StoredResponse }>();
  const keyOf = (scope: IdempotencyScope) => `${scope.sub}|${scope.operationId}|${scope.key}`;
  return {
    async reserve(scope, requestHash): Promise<ReservationOutcome> {
      const record = records.get(keyOf(scope));
      if (record === undefined) {
        records.set(keyOf(scope), { requestHash });
        return { kind: 'RESERVED' };
      }
      return record.response === undefined
        ? { kind: 'IN_PROGRESS', requestHash: record.requestHash }
        : { kind: 'COMPLETED', requestHash: record.requestHash, response: record.response };
    },
    async complete(scope, response) {
      const record = records.get(keyOf(scope));
      if (record !== undefined) record.response = response;
    },
    async release(scope) {
      records.delete(keyOf(scope));
    },
    size: () => records.size,
  };
};
