import { ValidationError } from './http/errors';
import { DEFAULT_PAGE_LIMIT, MAX_CURSOR_LENGTH } from './schemas/api';

export type DynamoKey = Record<string, string>;

/** Page size from an already-validated `limit` query value. */
export const pageLimit = (limit: string | undefined): number =>
  limit === undefined ? DEFAULT_PAGE_LIMIT : Number(limit);

/** Opaque cursor: base64url JSON of DynamoDB's LastEvaluatedKey (string attributes only). */
export const encodeCursor = (key: DynamoKey | undefined): string | null => {
  if (key === undefined) return null;
  const cursor = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  // keys are built from bounded ids, so this is a programming error, never caller input
  if (cursor.length > MAX_CURSOR_LENGTH)
    throw new Error(`A cursor of ${cursor.length} characters is too long`);
  return cursor;
};

/** The query a cursor must belong to: anything else is refused as input (400), never sent to DynamoDB. */
export interface CursorScope {
  /** Key attributes the cursor must carry with exactly these values: the caller's own partition. */
  equals: DynamoKey;
  /** The query's sort key and the key condition its value must meet. */
  sortKey: { name: string; prefix?: string; from?: string; to?: string };
  /** Further key attributes a cursor of this query carries (the table's keys on an index query). */
  others?: readonly string[];
}

const isScope = (expected: DynamoKey | CursorScope): expected is CursorScope =>
  typeof (expected as CursorScope).equals === 'object';

const belongsTo = (key: DynamoKey, scope: CursorScope): boolean => {
  const names = [...Object.keys(scope.equals), scope.sortKey.name, ...(scope.others ?? [])];
  if (Object.keys(key).length !== names.length || !names.every((name) => key[name] !== undefined))
    return false;
  const sortValue = key[scope.sortKey.name] ?? '';
  const { prefix, from, to } = scope.sortKey;
  return (
    (prefix === undefined || sortValue.startsWith(prefix)) &&
    (from === undefined || sortValue >= from) &&
    (to === undefined || sortValue <= to)
  );
};

/**
 * Decodes a cursor and proves it belongs to the caller's own partition (`equals` attributes must match) and,
 * given a scope, to this very query: exactly its key attributes, a sort key inside its key condition. A forged,
 * tampered or reused cursor is a 400, and can never start a query in another user's data.
 */
export const decodeCursor = (
  cursor: string | undefined,
  expected: DynamoKey | CursorScope,
): DynamoKey | undefined => {
  if (cursor === undefined) return undefined;
  const invalid = (cause?: unknown) =>
    new ValidationError(
      'Request is invalid',
      [{ path: 'query.cursor', message: 'is not a valid cursor for this query' }],
      cause,
    );
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error: unknown) {
    throw invalid(error);
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw invalid();
  const entries = Object.entries(decoded);
  if (entries.length > 8 || !entries.every(([, value]) => typeof value === 'string' && value.length <= 512))
    throw invalid();
  const key = Object.fromEntries(entries) as DynamoKey;
  const scope = isScope(expected) ? expected : undefined;
  for (const [name, value] of Object.entries(scope?.equals ?? expected))
    if (key[name] !== value) throw invalid();
  if (scope !== undefined && !belongsTo(key, scope)) throw invalid();
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
