import fc from 'fast-check';
import { HttpError } from './http/errors';
import { type CursorScope, decodeCursor, encodeCursor } from './pagination';
import { CursorSchema, MAX_CURSOR_LENGTH } from './schemas/api';

const scope: CursorScope = {
  equals: { pk: 'USER#alice', gsi1pk: 'USER#alice#P1' },
  sortKey: { name: 'gsi1sk', from: '2026-01-01#', to: '2026-01-31#~' },
  others: ['sk'],
};
const valid = { pk: 'USER#alice', gsi1pk: 'USER#alice#P1', gsi1sk: '2026-01-15#01J', sk: 'TRADE#01J' };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const refusal = (cursor: string) => {
  try {
    decodeCursor(cursor, scope);
    return undefined;
  } catch (error: unknown) {
    return error instanceof HttpError ? error.statusCode : 'not an HttpError';
  }
};

describe('cursors are bound to the query they came from', () => {
  it('round-trips a cursor of this query', () => {
    expect(decodeCursor(encodeCursor(valid) ?? '', scope)).toEqual(valid);
  });

  it.each([
    ['another partition', { ...valid, pk: 'USER#bob' }],
    ['a sort key before the range', { ...valid, gsi1sk: '2025-12-31#01J' }],
    ['a sort key after the range', { ...valid, gsi1sk: '2026-02-01#01J' }],
    ['an extra attribute', { ...valid, extra: 'x' }],
    ['a missing attribute', { pk: valid.pk, gsi1pk: valid.gsi1pk, gsi1sk: valid.gsi1sk }],
    ['a number attribute', { ...valid, sk: 1 }],
    ['an array', [valid]],
    ['null', null],
  ])('refuses %s with a 400', (_case, key) => {
    expect(refusal(encode(key))).toBe(400);
  });

  it('refuses a prefix-scoped cursor whose sort key is outside the prefix', () => {
    const prefixScope: CursorScope = { equals: { pk: 'U' }, sortKey: { name: 'sk', prefix: 'PORTFOLIO#' } };
    expect(decodeCursor(encode({ pk: 'U', sk: 'PORTFOLIO#1' }), prefixScope)).toEqual({
      pk: 'U',
      sk: 'PORTFOLIO#1',
    });
    expect(() => decodeCursor(encode({ pk: 'U', sk: 'TRADE#1' }), prefixScope)).toThrow(HttpError);
  });

  it('answers any string with a key of this query or a 400, never another error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 2000 }),
          fc.base64String({ maxLength: 2000 }),
          fc.jsonValue().map(encode),
        ),
        (cursor) => {
          const outcome = refusal(cursor);
          expect(outcome === undefined || outcome === 400).toBe(true);
        },
      ),
    );
  });

  it('keeps the longest cursor our keys can make inside the documented bound', () => {
    // the longest key: 4 attributes, a 128-character sub and 26-character ULIDs in each
    const sub = 'a'.repeat(128);
    const ulid = '0'.repeat(26);
    const longest = {
      pk: `USER#${sub}`,
      sk: `PORTFOLIO#${ulid}#TRADE#${ulid}`,
      gsi1pk: `USER#${sub}#PORTFOLIO#${ulid}`,
      gsi1sk: `2026-01-01#${ulid}#${ulid}`,
    };
    const cursor = encodeCursor(longest) ?? '';
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(CursorSchema.safeParse(cursor).success).toBe(true);
  });
});
