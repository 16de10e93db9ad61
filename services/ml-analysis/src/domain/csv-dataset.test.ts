import { ValidationError } from '@kupala/trade-model';
import fc from 'fast-check';
import { describeCsv, describeCsvStream, inferColumnType, previewCsv, previewCsvStream } from './csv-dataset';

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

/** The text's bytes cut at the given offsets (anywhere: inside a quoted cell, a CRLF or a multi-byte character). */
async function* chunked(text: string, cuts: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    if (cut > from) yield bytes.subarray(from, cut);
    from = Math.max(from, cut);
  }
  if (from < bytes.length) yield bytes.subarray(from);
}

const outcome = async <T>(work: () => T | Promise<T>) => {
  try {
    return { ok: await work() };
  } catch (error: unknown) {
    if (error instanceof ValidationError)
      return { refused: { message: error.message, details: error.details } };
    throw error;
  }
};

describe('describeCsvStream and previewCsvStream (uploaded files, read as a stream)', () => {
  const cell = fc.oneof(
    fc.constantFrom(
      '',
      '1',
      '-2.5',
      '1e3',
      '2026-02-03',
      '2026-02-30',
      'x',
      'é€',
      '"a, b"',
      '"line\nbreak"',
      ' 7 ',
    ),
    fc.integer({ min: -999, max: 999 }).map(String),
  );
  const table = fc
    .integer({ min: 1, max: 4 })
    .chain((width) =>
      fc.tuple(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: width, maxLength: width }),
        fc.array(fc.array(cell, { minLength: width - 1, maxLength: width + 1 }), { maxLength: 25 }),
        fc.constantFrom('\n', '\r\n'),
      ),
    )
    .map(([header, rows, eol]) => [header.join(','), ...rows.map((row) => row.join(','))].join(eol) + eol);

  it('answers what describeCsv answers on the whole text (shape or refusal), however the bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.array(fc.nat(), { maxLength: 8 }), async (csv, cuts) => {
        const whole = await outcome(() => describeCsv(csv));
        const streamed = await outcome(async () => {
          const { bytes, ...shape } = await describeCsvStream(chunked(csv, cuts));
          expect(bytes).toBe(Buffer.byteLength(csv));
          return shape;
        });
        expect(streamed).toEqual(whole);
        if ('ok' in whole) expect(await previewCsvStream(chunked(csv, cuts), 7)).toEqual(previewCsv(csv, 7));
      }),
      { numRuns: 200 },
    );
  });

  it('stops reading once the preview rows are in (an endless file is read no further than the parser buffers)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('n,sq\n');
      for (let i = 1; ; i += 1) {
        const line = Buffer.from(`${i},${i * i}\n`);
        pulled += line.byteLength;
        yield line;
      }
    }
    expect(await previewCsvStream(endless(), 3)).toEqual([
      ['1', '1'],
      ['2', '4'],
      ['3', '9'],
    ]);
    // the parser's buffers (16 KiB of bytes in, 16 records out) bound what is read ahead
    expect(pulled).toBeLessThan(64 * 1024);
  });

  it('names the line of a malformed file as describeCsv does', async () => {
    const csv = 'a,b\n1,"open\n';
    expect(await outcome(async () => describeCsvStream(chunked(csv, [5])))).toEqual(
      await outcome(() => describeCsv(csv)),
    );
  });
});
