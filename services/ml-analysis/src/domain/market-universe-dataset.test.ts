import { DEFAULT_UNIVERSE_SYMBOLS, UnprocessableError } from '@kupala/trade-model';
import {
  buildMarketUniverse,
  type MarketUniverseSource,
  type SeenClose,
  seriesOf,
} from './market-universe-dataset';

const NOW = '2026-11-24T10:00:00.000Z';

/** `count` closes of 100 on consecutive calendar days ending 2026-11-20, with the last one at `last`. */
const flatCloses = (count: number, last = '100', currency = 'USD'): SeenClose[] =>
  Array.from({ length: count }, (_, index) => ({
    date: new Date(Date.UTC(2026, 10, 20) - (count - 1 - index) * 86_400_000).toISOString().slice(0, 10),
    close: index === count - 1 ? last : '100',
    currency,
  }));

const fakeSource = (closes: Record<string, SeenClose[]>) => {
  const reads: { sub: string; symbol: string; from: string; to: string }[] = [];
  const source: MarketUniverseSource = {
    async dailyCloses(sub, symbol, from, to) {
      reads.push({ sub, symbol, from, to });
      return closes[symbol] ?? [];
    },
  };
  return { source, reads };
};

const build = (source: MarketUniverseSource, symbols?: string[]) =>
  buildMarketUniverse(
    source,
    'alice',
    { name: 'U', source: 'market-universe', ...(symbols ? { symbols } : {}) },
    NOW,
  );

const unprocessable = async (promise: Promise<unknown>): Promise<UnprocessableError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnprocessableError);
  expect((error as UnprocessableError).statusCode).toBe(422);
  return error as UnprocessableError;
};

describe('building the market-universe dataset', () => {
  it('covers the named symbols (once each, in order) over the last 1827 days, not the default list', async () => {
    // 400 closes, one a day, index 399 = 2026-11-20. Month ends counted back: 10-31 = 399 − 20 = 379 (379 + 21 > 399:
    // no target), 09-30 = 379 − 31 = 348, 08-31 = 348 − 30 = 318, 07-31 = 318 − 31 = 287, 06-30 = 287 − 31 = 256,
    // 05-31 = 256 − 30 = 226 (< 252: no full year before). Rows: 06-30, 07-31, 08-31, 09-30 for each symbol.
    const fake = fakeSource({ MSFT: flatCloses(400), AAPL: flatCloses(400, '110'), SPY: flatCloses(400) });

    const file = await build(fake.source, ['MSFT', 'AAPL', 'MSFT']);

    // 2021-11-24 + 1826 days (2022, 2023, 2024 leap, 2025, 2026) = 2026-11-24: 1827 days back is 2021-11-23
    expect(fake.reads).toEqual([
      { sub: 'alice', symbol: 'AAPL', from: '2021-11-23', to: '2026-11-24' },
      { sub: 'alice', symbol: 'MSFT', from: '2021-11-23', to: '2026-11-24' },
    ]);
    expect(file.shape.rows).toBe(8);
    expect(file.shape.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'symbol:string',
      'date:date',
      'ret_5d:number',
      'ret_21d:number',
      'ret_63d:number',
      'ret_252d:number',
      'vol_21d:number',
      'vol_63d:number',
      'maxdd_252d:number',
      'mom_12_1:number',
      'fwd_ret_21d:number',
    ]);
    const lines = file.csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'symbol,date,ret_5d,ret_21d,ret_63d,ret_252d,vol_21d,vol_63d,maxdd_252d,mom_12_1,fwd_ret_21d',
    );
    // flat at 100 (AAPL's last close of 110 is past every row's 21-day target): every feature 0
    expect(lines.slice(1)).toEqual([
      'AAPL,2026-06-30,0,0,0,0,0,0,0,0,0',
      'AAPL,2026-07-31,0,0,0,0,0,0,0,0,0',
      'AAPL,2026-08-31,0,0,0,0,0,0,0,0,0',
      'AAPL,2026-09-30,0,0,0,0,0,0,0,0,0',
      'MSFT,2026-06-30,0,0,0,0,0,0,0,0,0',
      'MSFT,2026-07-31,0,0,0,0,0,0,0,0,0',
      'MSFT,2026-08-31,0,0,0,0,0,0,0,0,0',
      'MSFT,2026-09-30,0,0,0,0,0,0,0,0,0',
    ]);
    expect(file.sizeBytes).toBe(Buffer.byteLength(file.csv));
  });

  it('covers the fixed default list when no symbols are named, whatever else has closes', async () => {
    // SPY and TLT are on the default list with 400 closes each (4 rows each, as above); AAPL has closes but is not
    // on the list: it is never read, so nothing tells the caller what others hold or look up
    const fake = fakeSource({ SPY: flatCloses(400), TLT: flatCloses(400), AAPL: flatCloses(400) });
    const file = await build(fake.source);
    expect(fake.reads.map((read) => read.symbol)).toEqual([...DEFAULT_UNIVERSE_SYMBOLS].sort());
    expect(DEFAULT_UNIVERSE_SYMBOLS).toContain('SPY');
    expect(DEFAULT_UNIVERSE_SYMBOLS).not.toContain('AAPL');
    expect(file.shape.rows).toBe(8);
    expect(file.csv.split('\n').filter((line) => line.startsWith('AAPL,'))).toEqual([]);
  });

  it('answers 422 when no default symbol has price history yet', async () => {
    const error = await unprocessable(build(fakeSource({}).source));
    expect(error.message).toBe(
      `No price history for any of the ${DEFAULT_UNIVERSE_SYMBOLS.length} symbols: store daily closes first (PUT /instruments/{symbol}/prices)`,
    );
  });

  it('answers 422, not an empty dataset, for a caller without any price history', async () => {
    const error = await unprocessable(build(fakeSource({}).source, ['NOPE', 'NADA']));
    expect(error.message).toBe(
      'No price history for any of the 2 symbols: store daily closes first (PUT /instruments/{symbol}/prices)',
    );
  });

  it('answers 422 naming the closes a row needs when every series is too short', async () => {
    const error = await unprocessable(
      build(fakeSource({ A: flatCloses(273), B: flatCloses(10) }).source, ['A', 'B']),
    );
    expect(error.message).toBe(
      'Not enough price history: a row needs 274 daily closes (252 before a month end and 21 after it); the longest series has 273',
    );
  });
});

describe('a symbol series', () => {
  it('keeps the closes in the currency of the latest close (no return across a change of currency)', () => {
    const series = seriesOf('X', [
      { date: '2026-01-01', close: '10', currency: 'EUR' },
      { date: '2026-01-02', close: '100.5', currency: 'USD' },
      { date: '2026-01-03', close: '11', currency: 'EUR' },
      { date: '2026-01-04', close: '101', currency: 'USD' },
    ]);
    expect(series).toEqual({ symbol: 'X', dates: ['2026-01-02', '2026-01-04'], closes: [100.5, 101] });
  });

  it('leaves out a close that is not a positive number, so no return divides by zero', () => {
    const series = seriesOf('X', [
      { date: '2026-01-01', close: '10', currency: 'USD' },
      { date: '2026-01-02', close: '0', currency: 'USD' },
      { date: '2026-01-03', close: '11', currency: 'USD' },
    ]);
    expect(series).toEqual({ symbol: 'X', dates: ['2026-01-01', '2026-01-03'], closes: [10, 11] });
  });
});
