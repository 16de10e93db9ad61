import type { Trade } from '@kupala/trade-model';
import { type ImportJob, type ImportRunPorts, runImport } from './run-import';

const MAPPING = {
  columns: {
    tradeDate: 'Date',
    type: 'Side',
    'instrument.symbol': 'Ticker',
    quantity: 'Qty',
    price: 'Price',
    currency: 'Ccy',
  },
} as const;
const file = (count: number) =>
  `Date,Side,Ticker,Qty,Price,Ccy\n${Array.from({ length: count }, (_, index) => `2026-01-05,BUY,AAPL,${index + 1},10,USD`).join('\n')}\n`;
const job = (overrides: Partial<ImportJob> = {}): ImportJob => ({
  importId: 'IMPORT1',
  portfolioId: 'P1',
  format: 'generic-csv',
  dryRun: false,
  mapping: { columns: { ...MAPPING.columns } },
  ...overrides,
});
const options = { baseCurrency: 'USD', chunkSize: 2, concurrency: 2 };

/** A fake store of fingerprints and booked trades; `failAfterChunks` makes bookChunk crash like a timeout. */
const fakePorts = (content: string, store = new Map<string, string>(), failAfterChunks = Infinity) => {
  const booked: Trade[] = [];
  const progress: number[] = [];
  let chunks = 0;
  let id = 0;
  const ports = (importId: string): ImportRunPorts => ({
    openSource: async () => content,
    storedFingerprints: async (fingerprints) =>
      new Map(fingerprints.flatMap((fp) => (store.has(fp) ? [[fp, store.get(fp) ?? '']] : []))),
    bookedExternalIds: async () => [],
    bookChunk: async (chunk) => {
      if (chunks++ >= failAfterChunks) throw new Error('Task timed out');
      if (chunk.some((item) => store.has(item.fingerprint))) return 'ALREADY_BOOKED';
      for (const item of chunk) store.set(item.fingerprint, importId);
      booked.push(...chunk.map((item) => item.trade));
      return 'OK';
    },
    recordProgress: async (rows) => {
      progress.push(rows);
    },
    newId: () => `T${id++}`,
    now: () => '2026-11-24T10:00:00.000Z',
  });
  return { ports, booked, progress, store };
};

describe('running an import (two passes, fingerprints, limited concurrency)', () => {
  it('books every trade of a valid file in chunks and reports progress', async () => {
    const fake = fakePorts(file(9));
    const result = await runImport(job(), fake.ports('IMPORT1'), { ...options, progressEvery: 4 });
    // 9 rows → groups of 4 (2 chunks × 2) + 1; progress after rows 4 and 8 of pass 1
    expect(result).toEqual({
      status: 'SUCCEEDED',
      errors: [],
      rows: 9,
      imported: 9,
      duplicates: 0,
      skipped: 1,
      skippedByReason: { HEADER: 1 },
    });
    expect(fake.booked.map((trade) => trade.quantity)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(fake.progress).toEqual([4, 8]);
  });

  it('after a crash half-way, the re-run books only the rest and counts the first run as imported', async () => {
    const first = fakePorts(file(6), new Map(), 1);
    await expect(runImport(job(), first.ports('IMPORT1'), options)).rejects.toThrow('Task timed out');
    expect(first.booked).toHaveLength(2);

    const rerun = fakePorts(file(6), first.store);
    const result = await runImport(job(), rerun.ports('IMPORT1'), options);
    expect(result).toMatchObject({ status: 'SUCCEEDED', imported: 6, duplicates: 0 });
    expect(rerun.booked.map((trade) => trade.quantity)).toEqual(['3', '4', '5', '6']);
  });

  it("counts another import's fingerprints as duplicates; a dry run books nothing", async () => {
    const earlier = fakePorts(file(2));
    await runImport(job({ importId: 'EARLIER' }), earlier.ports('EARLIER'), options);
    const dry = fakePorts(file(3), earlier.store);
    const result = await runImport(job({ dryRun: true }), dry.ports('IMPORT1'), options);
    // 3 rows, 2 booked by the earlier import: 1 would be booked
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      rows: 3,
      imported: 0,
      duplicates: 2,
      wouldImport: 1,
    });
    expect(dry.booked).toEqual([]);
  });

  it('sorts out a chunk another delivery booked meanwhile, trade by trade', async () => {
    const fake = fakePorts(file(2));
    const ports = fake.ports('IMPORT1');
    let raced = false;
    const racing: ImportRunPorts = {
      ...ports,
      // the other delivery books row 1 between our lookup and our transaction
      storedFingerprints: async (fingerprints) => {
        const stored = await ports.storedFingerprints(fingerprints);
        if (!raced && fingerprints[0] !== undefined) {
          raced = true;
          fake.store.set(fingerprints[0], 'IMPORT1');
        }
        return stored;
      },
    };
    const result = await runImport(job(), racing, options);
    expect(result).toMatchObject({ status: 'SUCCEEDED', imported: 2, duplicates: 0 });
    expect(fake.booked.map((trade) => trade.quantity)).toEqual(['2']);
  });

  it('fails a file with a bad row and books nothing', async () => {
    const fake = fakePorts(`${file(2)}2026-01-06,BUY,AAPL,x,10,USD\n`);
    const result = await runImport(job(), fake.ports('IMPORT1'), options);
    expect(result.status).toBe('FAILED');
    expect(result.errors).toEqual([expect.objectContaining({ row: 4, field: 'quantity' })]);
    expect(fake.booked).toEqual([]);
  });
});

describe('running an import of a file with a split', () => {
  const schwab = [
    '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
    '"03/03/2026","Stock Split","NVDA","NVIDIA CORP","90","","",""',
    '"02/20/2026","Buy","NVDA","NVIDIA CORP","5","$180.00","","-$900.00"',
  ].join('\n');

  it("reads the portfolio's trades of the symbol once for both passes, and books the derived ratio", async () => {
    const fake = fakePorts(schwab);
    const asked: string[] = [];
    const ports: ImportRunPorts = {
      ...fake.ports('IMPORT1'),
      existingTradesOf: async (symbol) => {
        asked.push(symbol);
        return [{ type: 'BUY', tradeDate: '2026-01-05', quantity: '5' }];
      },
    };

    const result = await runImport(job({ format: 'schwab-csv' }), ports, options);

    // 5 held before the file + 5 bought on 02-20 = 10; + 90 added = 100: 10-for-1
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      rows: 2,
      imported: 2,
      skippedByReason: { HEADER: 1 },
    });
    expect(fake.booked.map(({ type, ratio, quantity }) => ({ type, ratio, quantity }))).toEqual([
      { type: 'BUY', ratio: undefined, quantity: '5' },
      { type: 'SPLIT', ratio: '10', quantity: undefined },
    ]);
    expect(asked).toEqual(['NVDA']);
  });
});
