import { ValidationError } from '@kupala/trade-model';
import { applyView, toCsv } from './views';

const table = {
  columns: [
    { name: 'symbol', type: 'string' as const },
    { name: 'sector', type: 'string' as const },
    { name: 'close', type: 'number' as const },
    { name: 'open', type: 'number' as const },
  ],
  rows: [
    ['AAA', 'tech', '110', '100'],
    ['BBB', 'tech', '90', '100'],
    ['CCC', 'energy', '52', '50'],
    ['DDD', 'energy', '', '40'],
    ['EEE', 'tech', '121', '110'],
  ],
};

describe('views', () => {
  it('derive a column, filter on it and sort descending', () => {
    const result = applyView(table, {
      derive: [{ name: 'ret', formula: 'close / open - 1' }],
      filter: 'ret > 0',
      sort: [{ column: 'ret', direction: 'desc' }],
    });
    expect(result.header).toEqual(['symbol', 'sector', 'close', 'open', 'ret']);
    // returns: AAA 0.1, CCC 0.04, EEE 0.1 (121/110 − 1); BBB −0.1 and DDD (missing close) are filtered out
    expect(result.rows.map((row) => row[0])).toEqual(['AAA', 'EEE', 'CCC']);
    expect(result.rows[2]?.[4]).toBe('0.04');
  });

  it('pivot by sector with sum, mean, count, min and max, missing cells left out', () => {
    const result = applyView(table, {
      pivot: {
        groupBy: ['sector'],
        values: [
          { column: 'close', aggregate: 'sum' },
          { column: 'close', aggregate: 'mean' },
          { column: 'close', aggregate: 'count' },
          { column: 'open', aggregate: 'min' },
          { column: 'open', aggregate: 'max' },
        ],
      },
      sort: [{ column: 'sector' }],
    });
    expect(result.header).toEqual([
      'sector',
      'sum_close',
      'mean_close',
      'count_close',
      'min_open',
      'max_open',
    ]);
    // energy: closes 52 (and a missing one) → sum 52, mean 52, count 1; opens 50, 40
    // tech: closes 110 + 90 + 121 = 321, mean 107, count 3; opens 100, 100, 110
    expect(result.rows).toEqual([
      ['energy', '52', '52', '1', '40', '50'],
      ['tech', '321', '107', '3', '100', '110'],
    ]);
  });

  it('name the field of an unknown column or a bad formula', () => {
    const attempt = (view: Parameters<typeof applyView>[1]) => {
      try {
        applyView(table, view);
      } catch (error: unknown) {
        return error instanceof ValidationError ? error.details : error;
      }
      return 'no error';
    };
    expect(attempt({ filter: 'volume > 1' })).toEqual([
      { path: 'filter', message: 'no column named "volume"' },
    ]);
    expect(attempt({ derive: [{ name: 'x', formula: 'close +' }] })).toEqual([
      { path: 'derive.0.formula', message: 'formula ends too early' },
    ]);
    expect(attempt({ derive: [{ name: 'close', formula: '1' }] })).toMatchObject([{ path: 'derive.0.name' }]);
    expect(attempt({ sort: [{ column: 'nope' }] })).toMatchObject([{ path: 'sort.0.column' }]);
  });

  it('writes CSV with quoted cells where needed', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"']])).toBe('a,b\n"x,y","say ""hi"""\n');
  });
});
