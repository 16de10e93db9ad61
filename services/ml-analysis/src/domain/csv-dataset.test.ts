import { ValidationError } from '@kupala/trade-model';
import fc from 'fast-check';
import { describeCsv, inferColumnType, previewCsv } from './csv-dataset';

const detailsOf = (content: string) => {
  try {
    describeCsv(content);
  } catch (error: unknown) {
    if (error instanceof ValidationError) return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected the CSV to be refused');
};

describe('describeCsv', () => {
  it('counts data rows and infers number, date and string columns', () => {
    const csv = [
      'date,symbol,close,volume,note',
      '2026-03-02,AAPL,190.50,1200,',
      '2026-03-03,AAPL,-1.5e2,0,"split, 4:1"',
      '2026-03-04T15:30:00Z,MSFT,.5,7,x',
      '',
    ].join('\r\n');
    expect(describeCsv(csv)).toEqual({
      rows: 3,
      columns: [
        { name: 'date', type: 'date' },
        { name: 'symbol', type: 'string' },
        { name: 'close', type: 'number' },
        { name: 'volume', type: 'number' },
        { name: 'note', type: 'string' },
      ],
    });
  });

  it('strips a byte-order mark and surrounding spaces from column names, and skips blank lines', () => {
    expect(describeCsv('\uFEFF a , b\n\n1,2\n\n3,4\n')).toEqual({
      rows: 2,
      columns: [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'number' },
      ],
    });
  });

  it('counts a quoted field spanning lines as one row', () => {
    expect(describeCsv('id,text\n1,"two\nlines"\n2,plain\n').rows).toBe(2);
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(detailsOf('\n\n').message).toBe('CSV is empty: the first row must name the columns');
    expect(detailsOf('a,b\n').message).toBe('CSV has a header but no data rows');
  });

  it('names each ragged row by its number and line', () => {
    // line 1 header (3 fields); line 2 row 1 ok; line 3 blank (skipped); line 4 row 2 has 2; line 5 row 3 has 4
    const refusal = detailsOf('a,b,c\n1,2,3\n\n4,5\n6,7,8,9\n');
    expect(refusal.message).toBe('CSV is ragged: 2 rows do not match the header');
    expect(refusal.details).toEqual([
      { path: 'content', message: 'row 2 (line 4) has 2 fields; the header has 3' },
      { path: 'content', message: 'row 3 (line 5) has 4 fields; the header has 3' },
    ]);
  });

  it('lists at most ten ragged rows and says so', () => {
    const csv = ['a,b', ...Array.from({ length: 12 }, (_, index) => `${index}`)].join('\n');
    const refusal = detailsOf(csv);
    expect(refusal.message).toBe('CSV is ragged: 12 rows do not match the header; the first 10 are listed');
    expect(refusal.details).toHaveLength(10);
    expect(refusal.details?.[0]).toEqual({
      path: 'content',
      message: 'row 1 (line 2) has 1 field; the header has 2',
    });
  });

  it('refuses blank and repeated column names', () => {
    expect(detailsOf('a,,b,a\n1,2,3,4\n').details).toEqual([
      { path: 'content', message: 'header: column 2 has no name' },
      { path: 'content', message: 'header: column 4 repeats the name "a" of column 1' },
    ]);
  });

  it('passes the parser’s line-level message on for malformed quoting', () => {
    const refusal = detailsOf('a,b\n1,"open\n');
    expect(refusal.message).toBe('CSV content is invalid');
    expect(refusal.details?.[0]?.message).toMatch(/Quote Not Closed.*line 2/);
  });

  it('refuses more than 500 columns', () => {
    const header = Array.from({ length: 501 }, (_, index) => `c${index}`).join(',');
    expect(detailsOf(`${header}\n${'1,'.repeat(500)}1\n`).message).toBe(
      'CSV has 501 columns; at most 500 are allowed',
    );
  });

  it('counts the rows and names the columns of any well-formed quoted table (property)', () => {
    const cell = fc.oneof(
      fc.integer().map(String),
      fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
      fc.constantFrom('two\nlines', 'a,b', 'say "hi"', ''),
    );
    const table = fc
      .integer({ min: 1, max: 6 })
      .chain((width) =>
        fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }),
      );
    fc.assert(
      fc.property(table, (rows) => {
        const width = rows[0]?.length ?? 0;
        const header = Array.from({ length: width }, (_, index) => `col${index}`);
        const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
        const csv = [header, ...rows].map((row) => row.map(quote).join(',')).join('\n');
        const shape = describeCsv(csv);
        expect(shape.rows).toBe(rows.length);
        expect(shape.columns.map((column) => column.name)).toEqual(header);
        expect(previewCsv(csv)).toEqual(rows.slice(0, 20));
      }),
    );
  });
});

describe('inferColumnType', () => {
  it.each([
    [['1', '2.5', '-3', '+4e-2', ''], 'number'],
    [['2026-02-28', '2024-02-29', '2026-03-02T09:30'], 'date'],
    [['2026-02-29'], 'string'], // 2026 is no leap year
    [['1', 'n/a'], 'string'],
    [['', '  '], 'string'],
    [['1,5'], 'string'],
    [['NaN', 'Infinity'], 'string'],
  ])('%j is a %s column', (cells, type) => {
    expect(inferColumnType(cells)).toBe(type);
  });
});

describe('previewCsv', () => {
  it('answers the first data rows as the file has them', () => {
    const csv = ['a,b', ...Array.from({ length: 25 }, (_, index) => `${index}," x${index} "`)].join('\n');
    const preview = previewCsv(csv);
    expect(preview).toHaveLength(20);
    expect(preview[0]).toEqual(['0', ' x0 ']);
    expect(preview[19]).toEqual(['19', ' x19 ']);
  });
});
