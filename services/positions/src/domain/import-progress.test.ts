import { importProgressOf, MalformedImportRecordError } from './import-progress';

const SUB = '11111111-2222-3333-4444-555555555555';
const PORTFOLIO_ID = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';
const IMPORT_ID = '01JCAAAAAAAAAAAAAAAAAAAAAA';

/** An IMPORT item of the Trades table as imports-store writes it (unmarshalled stream image). */
const importItem = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  pk: `USER#${SUB}#PORTFOLIO#${PORTFOLIO_ID}`,
  sk: `IMPORT#${IMPORT_ID}`,
  entity: 'IMPORT',
  importId: IMPORT_ID,
  portfolioId: PORTFOLIO_ID,
  format: 'generic-csv',
  dryRun: false,
  status: 'RUNNING',
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
  errors: [],
  progress: { rowsRead: 0 },
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:01.000Z',
  ...changes,
});

describe('import progress of a Trades-table change', () => {
  it('reads the owner from the key and the counts from the item', () => {
    const finished = importItem({
      status: 'SUCCEEDED',
      rows: 3,
      imported: 2,
      duplicates: 1,
      skipped: 1,
      errors: [{ row: 4, field: 'price', message: 'must be a decimal' }],
      progress: { rowsRead: 4 },
      updatedAt: '2026-11-24T10:00:02.000Z',
    });

    expect(importProgressOf(finished, importItem())).toEqual({
      sub: SUB,
      message: {
        type: 'import.progress',
        importId: IMPORT_ID,
        portfolioId: PORTFOLIO_ID,
        status: 'SUCCEEDED',
        rowsRead: 4,
        rows: 3,
        imported: 2,
        duplicates: 1,
        skipped: 1,
        errors: 1,
        updatedAt: '2026-11-24T10:00:02.000Z',
      },
    });
  });

  it('announces a new import (no earlier version)', () => {
    expect(importProgressOf(importItem({ status: 'PENDING' }), undefined)?.message.status).toBe('PENDING');
  });

  it('says nothing when nothing a client sees moved (only updatedAt or the upload URL changed)', () => {
    const before = importItem({ uploadUrl: 'https://s3.example/upload' });
    const after = importItem({ updatedAt: '2026-11-24T10:00:05.000Z' });

    expect(importProgressOf(after, before)).toBeUndefined();
  });

  it.each([
    ['a TRADE item', { entity: 'TRADE' }],
    ['an IMPORT_MAPPING item', { entity: 'IMPORT_MAPPING' }],
  ])('ignores %s (the event-source filter is repeated in code)', (_case, changes) => {
    expect(importProgressOf(importItem(changes), undefined)).toBeUndefined();
  });

  it('ignores a removal', () => {
    expect(importProgressOf(undefined, importItem())).toBeUndefined();
  });

  it.each([
    ['an owner taken from the body, not the key', { pk: 'USER#x', ownerSub: SUB }],
    ['an importId that differs from the key', { importId: '01JCBBBBBBBBBBBBBBBBBBBBBB' }],
    ['a portfolioId that differs from the key', { portfolioId: '01JCCCCCCCCCCCCCCCCCCCCCCC' }],
    ['an unknown status', { status: 'EXPLODED' }],
  ])('refuses %s as malformed', (_case, changes) => {
    expect(() => importProgressOf(importItem(changes), undefined)).toThrow(MalformedImportRecordError);
  });
});
