import type { ImportRow } from './types';
import { validateWholeFile } from './whole-file';

async function* rowsOf(...rows: ImportRow[]): AsyncGenerator<ImportRow> {
  yield* rows;
}

const deposit = (row: number): ImportRow => ({
  row,
  trade: { type: 'DEPOSIT', amount: '1', currency: 'USD', tradeDate: '2026-01-05' },
  fingerprint: `hash:abc:${row}`,
  errors: [],
});

describe('validateWholeFile', () => {
  it('passes a file whose every row is a trade or a skip, and counts them', async () => {
    const report = await validateWholeFile(
      rowsOf({ row: 1, errors: [], skipped: 'HEADER' }, deposit(2), deposit(3)),
      {
        collect: true,
      },
    );

    expect(report).toEqual({
      ok: true,
      rows: 2,
      trades: 2,
      skipped: 1,
      skippedByReason: { HEADER: 1 },
      rowsWithErrors: 0,
      errors: [],
      fileError: false,
      items: [
        { row: 2, trade: deposit(2).trade, fingerprint: 'hash:abc:2' },
        { row: 3, trade: deposit(3).trade, fingerprint: 'hash:abc:3' },
      ],
    });
  });

  it('fails a file with one bad row, listing at most maxErrors errors but counting every bad row', async () => {
    const bad = (row: number): ImportRow => ({
      row,
      errors: [{ row, field: 'amount', message: 'is required' }],
    });

    const report = await validateWholeFile(rowsOf(deposit(2), bad(3), bad(4), bad(5)), { maxErrors: 2 });

    expect(report).toMatchObject({ ok: false, rows: 4, trades: 1, rowsWithErrors: 3, fileError: false });
    expect(report.errors.map((error) => error.row)).toEqual([3, 4]);
  });

  it('lets a file-level error replace everything read before it: the file is rejected whole', async () => {
    const fileError: ImportRow = { row: 0, errors: [{ row: 0, field: 'file', message: 'line 9: broken' }] };

    const report = await validateWholeFile(
      rowsOf(deposit(2), { row: 3, errors: [{ row: 3, field: 'x', message: 'y' }] }, fileError),
      {
        collect: true,
      },
    );

    expect(report).toMatchObject({ ok: false, fileError: true, items: [], errors: fileError.errors });
  });

  it('accepts batches of rows and reports progress', async () => {
    async function* batches(): AsyncGenerator<ImportRow[]> {
      yield [deposit(1), deposit(2)];
      yield [deposit(3)];
    }
    const progress: number[] = [];

    const report = await validateWholeFile(batches(), {
      progressEvery: 2,
      onProgress: (rows) => progress.push(rows),
    });

    expect(report.trades).toBe(3);
    expect(progress).toEqual([2]);
  });
});
