import type { CreateViewBody } from '@kupala/trade-model';
import fc from 'fast-check';
import { describeCsv, readCsvRows } from './csv-dataset';
import { streamView } from './view-stream';
import { applyView, toCsv } from './views';

/** The bytes of `text` cut at the given points (sorted, deduplicated): how a network stream may deliver them. */
const chunked = (text: string, cuts: number[]): AsyncIterable<Uint8Array> => {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return (async function* () {
    let from = 0;
    for (const point of [...points, bytes.length]) {
      if (point > from) yield bytes.subarray(from, point);
      from = Math.max(from, point);
    }
  })();
};

// a table of a number column x, a number column y with blanks, and a label column g (quotes and commas included)
const rowArbitrary = fc.tuple(
  fc.integer({ min: -50, max: 50 }),
  fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  fc.constantFrom('a', 'b', 'c, d', 'say "hi"', 'é'),
);
const viewArbitrary: fc.Arbitrary<CreateViewBody> = fc
  .record(
    {
      derive: fc.constantFrom<NonNullable<CreateViewBody['derive']>>(
        [{ name: 'twice', formula: 'x * 2' }],
        [{ name: 'ratio', formula: 'x / (y + 1)' }],
      ),
      filter: fc.constantFrom('x > 0', 'y >= 5', 'g == "a" or x < -10', 'x > 1000'),
      pivot: fc.constantFrom<NonNullable<CreateViewBody['pivot']>>(
        { groupBy: ['g'], values: [{ column: 'x', aggregate: 'sum' }] },
        {
          groupBy: ['g'],
          values: [
            { column: 'y', aggregate: 'mean' },
            { column: 'y', aggregate: 'count' },
            { column: 'x', aggregate: 'min' },
            { column: 'x', aggregate: 'max' },
          ],
        },
      ),
      sort: fc.constantFrom<NonNullable<CreateViewBody['sort']>>(
        [{ column: 'x', direction: 'desc' }],
        [{ column: 'g' }],
      ),
    },
    { requiredKeys: [] },
  )
  .filter((view) => view.sort === undefined || view.pivot === undefined || view.sort[0]?.column === 'g');

describe('a view run over a byte stream', () => {
  it('answers what the whole-table view answers, however the bytes are chunked, profiled the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 1, maxLength: 30 }),
        viewArbitrary,
        fc.array(fc.nat(), { maxLength: 12 }),
        async (rows, view, cuts) => {
          const content = toCsv(
            ['x', 'y', 'g'],
            rows.map(([x, y, g]) => [String(x), y === undefined ? '' : String(y), g]),
          );
          const { columns } = describeCsv(content);
          const whole = applyView({ columns, rows: readCsvRows(content) }, view);

          const streamed = streamView(chunked(content, cuts), columns, view);

          if (whole.rows.length === 0) {
            await expect(streamed).rejects.toThrow('the view leaves no rows');
            return;
          }
          const expected = toCsv(whole.header, whole.rows);
          const result = await streamed;
          expect(result.csv).toBe(expected);
          expect(result.sizeBytes).toBe(Buffer.byteLength(expected, 'utf8'));
          expect(result.shape).toEqual(describeCsv(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a result over the limit as soon as it is exceeded, with the same error as before', async () => {
    // 60,000 rows of "x" and a derived 100-character label: ~6.2 MB of output, more than 4 MiB
    const content = toCsv(
      ['x'],
      Array.from({ length: 60_000 }, (_, index) => [String(index)]),
    );
    const { columns } = describeCsv(content);
    await expect(
      streamView(chunked(content, [1000, 50_000]), columns, {
        derive: [{ name: 'label', formula: `"${'z'.repeat(100)}"` }],
      }),
    ).rejects.toMatchObject({ message: 'the view is too large' });
  });
});
