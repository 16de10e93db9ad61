import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { type CsvLine, CsvTokenizer, readCsvBatches } from './csv-lines';
import { inChunks } from './parse-fixture';
import { ImportFileError } from './types';

const readAll = async (input: AsyncIterable<Buffer> | string, delimiter = ','): Promise<CsvLine[]> => {
  const lines: CsvLine[] = [];
  for await (const batch of readCsvBatches(input, { delimiter })) lines.push(...batch);
  return lines;
};

/** Feeds `text` cut at the given offsets, as a stream would. */
const tokenize = (text: string, cuts: number[], delimiter = ','): CsvLine[] => {
  const tokenizer = new CsvTokenizer(delimiter);
  const lines: CsvLine[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    lines.push(...tokenizer.push(text.slice(from, cut)));
    from = cut;
  }
  lines.push(...tokenizer.push(text.slice(from)), ...tokenizer.end());
  return lines;
};

describe('readCsvBatches', () => {
  it('reads quoted thousands separators, doubled quotes, a BOM, CRLF, CR and blank trailing lines', async () => {
    const text = '\uFEFFDate,Amount,Note\r\n2026-01-05,"1,234.50","say ""hi"""\r2026-01-06 , -3 ,\n\r\n\r\n';

    const lines = await readAll(text);

    expect(lines).toEqual([
      { line: 1, cells: ['Date', 'Amount', 'Note'] },
      { line: 2, cells: ['2026-01-05', '1,234.50', 'say "hi"'] },
      { line: 3, cells: ['2026-01-06', '-3', ''] },
      { line: 4, cells: [] },
      { line: 5, cells: [] },
    ]);
  });

  it('counts a quoted line break as a line, so the next record keeps its true line number', async () => {
    const text = 'a,b\n1,"two\r\nlines"\n3,x\n';

    const lines = await readAll(text);

    expect(lines.map((line) => line.line)).toEqual([1, 2, 4]);
    expect(lines[1]?.cells).toEqual(['1', 'two\r\nlines']);
  });

  it('gives the same records whatever the chunk size, even cutting UTF-8 characters and CRLF in two', async () => {
    const text = 'Symbol;Description\r\nNESN;"Nestlé; ""Suisse"""\r\nSAP;Société\r\n';
    const expected = await readAll(text, ';');

    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await readAll(inChunks(text, size), ';')).toEqual(expected);
    }
  });

  it('rejects a file whose quote is never closed, naming the line', async () => {
    await expect(readAll('a,b\n1,"open\n2,3\n')).rejects.toThrow(
      new ImportFileError('the file is not valid CSV (a quoted field is never closed)', { line: 2 }),
    );
  });

  it('rejects text after a closing quote', async () => {
    await expect(readAll('a,b\n"x"y,2\n')).rejects.toThrow(/line 2: .*"y" after the closing quote/);
  });

  it('rejects a record longer than 64 KB instead of buffering without end', async () => {
    const huge = `a\n"${'x'.repeat(70_000)}"\n`;
    await expect(readAll(inChunks(huge, 4096))).rejects.toThrow(/longer than 65536 characters/);
  });
});

describe('CsvTokenizer against csv-parse (property)', () => {
  const cell = fc.stringMatching(/^[a-zé ,;|\t"\r\n1-9]{0,6}$/);
  const record = fc.array(cell, { minLength: 1, maxLength: 5 });
  const quoteIfNeeded = (value: string, delimiter: string) =>
    value.includes(delimiter) || /["\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

  it('reads every file as csv-parse does, with the right start lines, however it is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(record, fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(',', ';', '\t', '|'),
        (records, rawCuts, delimiter) => {
          const text = records
            .map(
              ([cells, end]) => cells.map((value) => quoteIfNeeded(value, delimiter)).join(delimiter) + end,
            )
            .join('');
          const cuts = rawCuts.map((cut) => cut % (text.length + 1));

          const ours = tokenize(text, cuts, delimiter);

          const reference = (
            parse(text, {
              delimiter,
              relax_column_count: true,
              trim: true,
              skip_empty_lines: false,
              record_delimiter: ['\r\n', '\n', '\r'],
            }) as string[][]
          ).map((cells) => (cells.every((value) => value === '') ? [] : cells));
          expect(ours.map((line) => line.cells)).toEqual(reference);
          let line = 1;
          const starts = records.map(([cells]) => {
            const start = line;
            for (const value of cells) line += value.split(/\r\n|\r|\n/).length - 1;
            line += 1;
            return start;
          });
          expect(ours.map((entry) => entry.line)).toEqual(starts);
        },
      ),
      { numRuns: 300 },
    );
  });
});
