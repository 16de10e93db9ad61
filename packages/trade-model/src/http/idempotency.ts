import { createHash } from 'node:crypto';
import type { IdempotencyStore, StoredResponse } from '../idempotency-store';
import { logger } from '../logging';
import { ConflictError, ValidationError } from './errors';
import { header, type KupalaMiddleware, serializeResponse } from './middleware';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Key order does not change a JSON body's meaning, so it does not change its hash. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** A digest of a request body that does not depend on its key order: same meaning, same hash. */
export const bodyHash = (body: unknown): string =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * `Idempotency-Key` on a creating POST: the first request runs and its response is kept for 24 h; a replay
 * with the same key and body gets that response again (header `idempotent-replayed: true`); the same key
 * with another body, or while the first is still running, gets 409. Keys are scoped per user and operation.
 */
export const idempotency = (options: {
  operationId: string;
  store: () => IdempotencyStore;
}): KupalaMiddleware => ({
  before: async (request) => {
    const key = header(request.event, 'idempotency-key');
    if (key === undefined) return;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ValidationError('Request is invalid', [
        {
          path: 'header.Idempotency-Key',
          message: 'must be 1-128 characters of letters, digits and . _ : -',
        },
      ]);
    }
    const state = request.context.kupala;
    const sub = state?.user?.sub;
    if (state === undefined || sub === undefined) return;
    const requestHash = createHash('sha256')
      .update(canonicalJson({ path: request.event.pathParameters ?? {}, body: state.rawBody ?? null }))
      .digest('hex');
    const scope = { sub, operationId: options.operationId, key };
    const outcome = await options.store().reserve(scope, requestHash);
    if (outcome.kind === 'RESERVED') {
      // per request, never per module: concurrent invocations in one process must not share a reservation
      state.idempotency = { scope, handlerReturned: false };
      return;
    }
    if (outcome.requestHash !== requestHash) {
      throw new ConflictError('This Idempotency-Key was already used with a different request body');
    }
    if (outcome.kind === 'IN_PROGRESS') {
      throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
    }
    return { ...outcome.response, headers: { ...outcome.response.headers, 'idempotent-replayed': 'true' } };
  },
  after: async (request) => {
    const reservation = request.context.kupala?.idempotency;
    if (reservation === undefined || request.response === undefined || request.response === null) return;
    // from here on the handler's writes are committed: the reservation must never be released
    reservation.handlerReturned = true;
    const response: StoredResponse = serializeResponse(request.response);
    request.response = response;
    reservation.response = response;
    await options.store().complete(reservation.scope, response);
  },
  onError: async (request) => {
    const reservation = request.context.kupala?.idempotency;
    if (reservation === undefined) return;
    if (reservation.handlerReturned) {
      // a late failure (recording the response): keep the key taken so that a retry cannot book twice
      if (reservation.response === undefined) return;
      try {
        await options.store().complete(reservation.scope, reservation.response);
      } catch (error: unknown) {
        logger.warn('idempotency record left in progress after the request committed', { error });
      }
      return;
    }
    try {
      await options.store().release(reservation.scope);
    } catch (error: unknown) {
      logger.warn('could not release idempotency reservation', { error });
    }
  },
});
