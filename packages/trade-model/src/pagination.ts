import { ValidationError } from './http/errors';
import { DEFAULT_PAGE_LIMIT } from './schemas/api';

export type DynamoKey = Record<string, string>;

/** Page size from an already-validated `limit` query value. */
export const pageLimit = (limit: string | undefined): number =>
  limit === undefined ? DEFAULT_PAGE_LIMIT : Number(limit);

/** Opaque cursor: base64url JSON of DynamoDB's LastEvaluatedKey (string attributes only). */
export const encodeCursor = (key: DynamoKey | undefined): string | null =>
  key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/**
 * Decodes a cursor and proves it belongs to the caller's own partition (`expected` attributes must
 * match), so a forged cursor can never start a query in another user's data.
 */
export const decodeCursor = (cursor: string | undefined, expected: DynamoKey): DynamoKey | undefined => {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('Request is invalid', [{ path: 'query.cursor', message: 'is not a valid cursor' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error: unknown) {
    throw new ValidationError(
      'Request is invalid',
      [{ path: 'query.cursor', message: 'is not a valid cursor' }],
      error,
    );
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw invalid();
  const entries = Object.entries(decoded);
  if (entries.length > 8 || !entries.every(([, value]) => typeof value === 'string' && value.length <= 512))
    throw invalid();
  const key = Object.fromEntries(entries) as DynamoKey;
  for (const [name, value] of Object.entries(expected)) if (key[name] !== value) throw invalid();
  return key;
};

/** One page of a list, as every list route answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What an adapter needs to read one page: the size and the caller's cursor. */
export interface PageRequest {
  limit: number;
  cursor: string | undefined;
}
