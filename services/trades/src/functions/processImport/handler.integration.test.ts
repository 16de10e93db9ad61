import { tokenFor } from '@kupala/local-stack';
import { importsApi } from '../../testing/imports-requests';
import { tradesApi } from '../../testing/requests';

const MAPPING = {
  columns: {
    tradeDate: 'Date',
    type: 'Side',
    'instrument.symbol': 'Ticker',
    'instrument.assetClass': 'Class',
    'instrument.currency': 'Ccy',
    quantity: 'Qty',
    price: 'Price',
    currency: 'Ccy',
    fees: 'Fees',
  },
};
const HEADER = 'Date,Side,Ticker,Class,Qty,Price,Ccy,Fees';
const ROWS = [
  '2026-01-05,BUY,AAPL,EQUITY,10,190.50,USD,1.00',
  '2026-01-06,BUY,MSFT,EQUITY,5,410.25,USD,1.00',
  '2026-01-07,SELL,AAPL,EQUITY,4,195.00,USD,1.00',
];
const csv = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

interface ImportBody {
  status: string;
  rows: number;
  imported: number;
  duplicates: number;
  skipped: number;
  skippedByReason?: Record<string, number>;
  errors: { row: number; field: string; message: string }[];
}

describe('broker imports against DynamoDB Local and the local S3 server', () => {
  let token: string;
  let api: ReturnType<typeof importsApi>;
  let trades: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`imports-${Date.now()}`);
    api = importsApi(token);
    trades = tradesApi(token);
  });

  /** POST, then what S3 would do (run processImport on the stored file), then GET. */
  const importFile = async (portfolioId: string, body: Record<string, unknown>): Promise<ImportBody> => {
    const created = await api.create(portfolioId, body);
    expect(created.statusCode).toBe(202);
    const { importId } = created.body as { importId: string };
    await api.process(portfolioId, importId);
    const read = await api.get(portfolioId, importId);
    expect(read.statusCode).toBe(200);
    return read.body as ImportBody;
  };
  const tradeCount = async (portfolioId: string) =>
    ((await trades.list(portfolioId, { limit: '500' })).body as { items: unknown[] }).items.length;

  it('imports an inline generic CSV; the same file again imports nothing; an overlapping one only its new rows', async () => {
    const portfolioId = await trades.createPortfolio();

    // 3 data rows, 3 trades, no header counted
    const first = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(ROWS),
    });
    expect(first).toMatchObject({ status: 'SUCCEEDED', rows: 3, imported: 3, duplicates: 0, errors: [] });
    const listed = (await trades.list(portfolioId)).body as { items: { price: string; fees: string }[] };
    expect(listed.items.map((trade) => trade.price)).toEqual(['190.50', '410.25', '195.00']);

    const again = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(ROWS),
    });
    expect(again).toMatchObject({ status: 'SUCCEEDED', rows: 3, imported: 0, duplicates: 3 });

    // rows 2 and 3 again plus one new: 1 imported, 2 duplicates
    const overlapping = csv([...ROWS.slice(1), '2026-01-08,BUY,NVDA,EQUITY,2,140.00,USD,1.00']);
    const third = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: overlapping,
    });
    expect(third).toMatchObject({ status: 'SUCCEEDED', rows: 3, imported: 1, duplicates: 2 });
    expect(await tradeCount(portfolioId)).toBe(4);
  });

  it('fails a file with one bad row, naming its line and field, and books nothing', async () => {
    const portfolioId = await trades.createPortfolio();
    const rows = [ROWS[0] ?? '', '2026-01-06,BUY,MSFT,EQUITY,five,410.25,USD,1.00', ROWS[2] ?? ''];
    const result = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(rows),
    });
    expect(result.status).toBe('FAILED');
    expect(result.imported).toBe(0);
    // line 1 is the header: the second data row is line 3
    expect(result.errors).toEqual([expect.objectContaining({ row: 3, field: 'quantity' })]);
    expect(await tradeCount(portfolioId)).toBe(0);
  });

  it("derives a Schwab split's ratio from the portfolio's stored trades; the status counts skips by reason", async () => {
    const portfolioId = await trades.createPortfolio();
    const nvda = { assetClass: 'EQUITY', symbol: 'NVDA', currency: 'USD' };
    const bought = { type: 'BUY', instrument: nvda, price: '400', currency: 'USD' };
    expect(
      (await trades.book(portfolioId, { ...bought, quantity: '3', tradeDate: '2024-05-01' })).statusCode,
    ).toBe(201);
    // a cancelled trade counts as never booked
    const cancelled = await trades.book(portfolioId, { ...bought, quantity: '500', tradeDate: '2024-05-02' });
    expect(
      (await trades.cancel(portfolioId, (cancelled.body as { tradeId: string }).tradeId)).statusCode,
    ).toBe(200);
    const schwab = [
      '"Transactions  for account XXXX-1234 as of 06/30/2024 10:30 PM ET"',
      '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
      '"06/10/2024 as of 06/07/2024","Stock Split","NVDA","NVIDIA CORP","45","","",""',
      '"06/03/2024","Buy","NVDA","NVIDIA CORP","2","$1100.00","","-$2,200.00"',
      '"06/28/2024","Name Change","NVDA","NVIDIA CORP","","","",""',
      '"Transactions Total","","","","","","","-$2,200.00"',
    ].join('\n');

    const first = await importFile(portfolioId, { format: 'schwab-csv', content: schwab });

    // 3 stored before the file's first date (06/03) + 2 bought in the file = 5; + 45 added = 50: 10-for-1
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      rows: 2,
      imported: 2,
      skipped: 4,
      skippedByReason: { TITLE: 1, HEADER: 1, NON_ECONOMIC: 1, TOTAL: 1 },
      errors: [],
    });
    const listed = (await trades.list(portfolioId, { type: 'SPLIT' })).body as { items: { ratio: string }[] };
    expect(listed.items.map((trade) => trade.ratio)).toEqual(['10']);

    // the file's own trades, now stored, are not counted twice: the same ratio, nothing new
    const again = await importFile(portfolioId, { format: 'schwab-csv', content: schwab });
    expect(again).toMatchObject({ status: 'SUCCEEDED', imported: 0, duplicates: 2, errors: [] });
  });

  it('counts without booking on a dry run', async () => {
    const portfolioId = await trades.createPortfolio();
    await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(ROWS.slice(0, 1)),
    });
    const dry = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      dryRun: true,
      content: csv(ROWS),
    });
    // 3 rows, 1 booked before: 2 would be booked
    expect(dry).toMatchObject({ status: 'SUCCEEDED', rows: 3, imported: 0, duplicates: 1, wouldImport: 2 });
    expect(await tradeCount(portfolioId)).toBe(1);
  });

  it('does nothing on a redelivered event of a finished import', async () => {
    const portfolioId = await trades.createPortfolio();
    const created = await api.create(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(ROWS),
    });
    const { importId } = created.body as { importId: string };
    await api.process(portfolioId, importId);
    const before = (await api.get(portfolioId, importId)).body;
    await api.process(portfolioId, importId);
    expect((await api.get(portfolioId, importId)).body).toEqual(before);
    expect(await tradeCount(portfolioId)).toBe(3);
  });

  it('takes a file through the presigned upload form (a real POST to the local S3 server)', async () => {
    const portfolioId = await trades.createPortfolio();
    const created = await api.create(portfolioId, { format: 'generic-csv', mapping: MAPPING });
    expect(created.statusCode).toBe(202);
    const { importId, uploadUrl, uploadFields, uploadExpiresAt } = created.body as {
      importId: string;
      uploadUrl: string;
      uploadFields: Record<string, string>;
      uploadExpiresAt: string;
    };
    expect(Date.parse(uploadExpiresAt)).toBeGreaterThan(Date.now() + 14 * 60 * 1000);
    expect((await api.get(portfolioId, importId)).body).toMatchObject({ status: 'PENDING', uploadUrl });

    const form = new FormData();
    for (const [name, value] of Object.entries(uploadFields)) form.append(name, value);
    form.append('file', new Blob([csv(ROWS)]));
    const posted = await fetch(uploadUrl, { method: 'POST', body: form });
    expect(posted.status).toBeLessThan(300);
    await api.process(portfolioId, importId);
    const done = (await api.get(portfolioId, importId)).body as ImportBody & { uploadUrl?: string };
    expect(done).toMatchObject({ status: 'SUCCEEDED', imported: 3 });
    expect(done.uploadUrl).toBeUndefined();
  });

  it("answers 404 for another user's import and for a missing portfolio", async () => {
    const portfolioId = await trades.createPortfolio();
    const created = await api.create(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      content: csv(ROWS),
    });
    const { importId } = created.body as { importId: string };
    const other = importsApi(await tokenFor(`imports-other-${Date.now()}`));
    expect((await other.get(portfolioId, importId)).statusCode).toBe(404);
    expect((await other.create(portfolioId, { format: 'kupala-json', content: '{}' })).statusCode).toBe(404);
  });

  it('refuses generic-csv without a mapping (400)', async () => {
    const portfolioId = await trades.createPortfolio();
    const response = await api.create(portfolioId, { format: 'generic-csv', content: csv(ROWS) });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body)).toContain('mapping');
  });

  it('round-trips a portfolio: export, import the kupala-json into an empty portfolio, export again', async () => {
    const source = await trades.createPortfolio({ name: 'Source', baseCurrency: 'USD' });
    const booked = await trades.bookBatch(source, [
      { type: 'DEPOSIT', amount: '10000.00', currency: 'USD', tradeDate: '2026-01-02', note: 'start é "q"' },
      {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD', isin: 'US0378331005' },
        quantity: '10.5000',
        price: '190.1234',
        currency: 'USD',
        fees: '1.00',
        tradeDate: '2026-01-05',
        settleDate: '2026-01-07',
        externalId: 'broker:1',
      },
      {
        type: 'BUY',
        instrument: {
          assetClass: 'OPTION',
          symbol: 'AAPL  261218C00200000',
          currency: 'USD',
          multiplier: '100',
          underlying: 'AAPL',
          expiry: '2026-12-18',
          strike: '200',
          putCall: 'C',
        },
        quantity: '1',
        price: '12.30',
        currency: 'USD',
        tradeDate: '2026-01-06',
      },
      {
        type: 'DIVIDEND',
        instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
        amount: '2.40',
        currency: 'USD',
        tradeDate: '2026-02-13',
        fxRate: '0.9200',
      },
      {
        type: 'SELL',
        instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
        quantity: '1',
        price: '200',
        currency: 'USD',
        tradeDate: '2026-02-20',
      },
    ]);
    expect(booked.statusCode).toBe(201);
    const cancelled = (booked.body as { items: { tradeId: string }[] }).items[4]?.tradeId ?? '';
    expect((await trades.cancel(source, cancelled)).statusCode).toBe(200);
    const exported = (await api.export(source)).body as { trades: Record<string, unknown>[] };

    const target = await trades.createPortfolio({ name: 'Target', baseCurrency: 'USD' });
    const result = await importFile(target, { format: 'kupala-json', content: JSON.stringify(exported) });
    // 5 records: 4 active trades imported, the cancelled one skipped
    expect(result).toMatchObject({ status: 'SUCCEEDED', imported: 4, duplicates: 0 });

    const reexported = (await api.export(target)).body as { trades: Record<string, unknown>[] };
    const active = (document: { trades: Record<string, unknown>[] }) =>
      document.trades.filter((trade) => trade.status === 'ACTIVE');
    expect(active(reexported)).toEqual(active(exported));
    expect(active(exported)).toHaveLength(4);
  });

  it('saves a mapping on the portfolio and imports with it by name; an unknown name is refused', async () => {
    const portfolioId = await trades.createPortfolio();
    const saved = await api.saveMapping(portfolioId, 'My broker', MAPPING);
    expect(saved).toMatchObject({ statusCode: 200, body: { name: 'My broker', mapping: MAPPING } });
    expect((await api.listMappings(portfolioId)).body).toMatchObject({ items: [{ name: 'My broker' }] });

    const result = await importFile(portfolioId, {
      format: 'generic-csv',
      mappingName: 'My broker',
      content: csv(ROWS),
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', imported: 3 });

    const unknown = await api.create(portfolioId, {
      format: 'generic-csv',
      mappingName: 'Nope',
      content: csv(ROWS),
    });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('mappingName');
  });

  it('saves the mapping sent with saveMappingAs for the next import', async () => {
    const portfolioId = await trades.createPortfolio();
    const first = await importFile(portfolioId, {
      format: 'generic-csv',
      mapping: MAPPING,
      saveMappingAs: 'daily',
      content: csv(ROWS.slice(0, 1)),
    });
    expect(first.imported).toBe(1);
    const second = await importFile(portfolioId, {
      format: 'generic-csv',
      mappingName: 'daily',
      content: csv(ROWS),
    });
    // the first row is already booked: 2 new, 1 duplicate
    expect(second).toMatchObject({ status: 'SUCCEEDED', imported: 2, duplicates: 1 });
  });
});
