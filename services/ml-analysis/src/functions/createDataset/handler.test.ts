import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { Workbook } from 'exceljs';
import { type FakeFailures, fakeMlEffects } from '../../testing/fake-effects';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  issuer = await useTestIssuer();
  tokens.alice = await issuer.sign('alice');
});

const create = (fake: ReturnType<typeof fakeMlEffects>, body: unknown, token = tokens.alice ?? '') =>
  invoke(buildHandler(fake.effects), { method: 'POST', path: '/datasets', token, body });
const detailsOf = (body: unknown) =>
  (body as { error: { details?: { path: string; message: string }[] } }).error.details;

const PRICES_CSV = 'date,symbol,close\n2026-03-02,AAPL,190.50\n2026-03-03,AAPL,191\n';

describe('createDataset handler', () => {
  it('without content, records a PENDING dataset and answers its upload form (no file is stored yet)', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: 'Big', format: 'xlsx', sheet: 'Data' });
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      datasetId: '01JQ0000000000000000000000',
      name: 'Big',
      format: 'xlsx',
      status: 'PENDING',
      rows: 0,
      columns: [],
      sizeBytes: 0,
      sheet: 'Data',
      createdAt: '2026-11-24T10:00:00.000Z',
      uploadUrl: 'https://uploads.test/bucket',
      // the fake echoes what the handler asked: the upload key, 15 minutes, the XLSX limit (32 MiB)
      uploadFields: {
        key: 'alice/datasets/01JQ0000000000000000000000/upload',
        expires: '900',
        max: String(32 * 1024 * 1024),
      },
      uploadExpiresAt: '2026-11-24T10:15:00.000Z',
    });
    expect(fake.items.get('alice|01JQ0000000000000000000000')?.status).toBe('PENDING');
    expect(fake.objects.size).toBe(0);
  });

  it('stores the raw file under the caller and answers the inferred schema', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: ' Prices ', format: 'csv', content: PRICES_CSV });
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      datasetId: '01JQ0000000000000000000000',
      name: 'Prices',
      format: 'csv',
      status: 'READY',
      rows: 2,
      columns: [
        { name: 'date', type: 'date' },
        { name: 'symbol', type: 'string' },
        { name: 'close', type: 'number' },
      ],
      // 18 + 23 + 20 bytes: "date,symbol,close\n", "2026-03-02,AAPL,190.50\n", "2026-03-03,AAPL,191\n"
      sizeBytes: 61,
      createdAt: '2026-11-24T10:00:00.000Z',
    });
    expect(response.headers.location).toBe('/datasets/01JQ0000000000000000000000');
    expect(fake.objects.get('alice/datasets/01JQ0000000000000000000000/source.csv')).toBe(PRICES_CSV);
    expect(fake.items.get('alice|01JQ0000000000000000000000')).toEqual(response.body);
  });

  it('keeps an xlsx sheet as CSV, typed, and counts the size of the workbook sent', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('Notes').addRows([['n'], ['x']]);
    const sheet = workbook.addWorksheet('Prices');
    sheet.addRow(['date', 'symbol', 'close']);
    sheet.addRow([new Date(Date.UTC(2026, 2, 2)), 'AAPL', 190.5]);
    sheet.addRow([new Date(Date.UTC(2026, 2, 3)), 'AAPL, Inc.', 191]);
    const file = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const fake = fakeMlEffects();
    const response = await create(fake, {
      name: 'Sheet',
      format: 'xlsx',
      sheet: 'Prices',
      content: file.toString('base64'),
    });
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({
      format: 'xlsx',
      rows: 2,
      columns: [
        { name: 'date', type: 'date' },
        { name: 'symbol', type: 'string' },
        { name: 'close', type: 'number' },
      ],
      sizeBytes: file.length,
    });
    // the comma in "AAPL, Inc." is quoted
    expect(fake.objects.get('alice/datasets/01JQ0000000000000000000000/source.csv')).toBe(
      'date,symbol,close\n2026-03-02,AAPL,190.5\n2026-03-03,"AAPL, Inc.",191\n',
    );
  });

  it('counts size in UTF-8 bytes', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: 'Cities', format: 'csv', content: 'city\nZürich\n' });
    // "city\n" is 5 bytes; "Zürich\n" is 8 (ü takes 2)
    expect(response.body).toMatchObject({ sizeBytes: 13, rows: 1 });
  });

  it('refuses ragged CSV with row-level details and stores nothing', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: 'Bad', format: 'csv', content: 'a,b\n1,2\n3\n' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'CSV is ragged: 1 row does not match the header',
        details: [{ path: 'content', message: 'row 2 (line 3) has 1 field; the header has 2' }],
      },
    });
    expect(fake.objects.size + fake.items.size).toBe(0);
  });

  it.each([
    ['empty content', { name: 'E', format: 'csv', content: '' }, 'content', 'must not be empty'],
    [
      'xlsx content that is not base64',
      { name: 'X', format: 'xlsx', content: 'date,close\n' },
      'content',
      'xlsx content must be the file in base64',
    ],
    ['a truncated xlsx', { name: 'X', format: 'xlsx', content: 'UEsDBBQ=' }, 'content', undefined],
    [
      'a sheet with csv',
      { name: 'X', format: 'csv', content: 'a\n1\n', sheet: 'S' },
      'sheet',
      'sheet applies to xlsx only',
    ],
    ['an unknown format', { name: 'X', format: 'parquet', content: 'a\n1\n' }, 'format', undefined],
    ['a blank name', { name: '   ', format: 'csv', content: 'a\n1\n' }, 'name', 'must not be blank'],
    ['an unknown source', { name: 'U', source: 'market' }, 'source', undefined],
    ['a universe of no symbols', { name: 'U', source: 'market-universe', symbols: [] }, 'symbols', undefined],
    [
      'a universe of 101 symbols',
      { name: 'U', source: 'market-universe', symbols: Array.from({ length: 101 }, (_, i) => `S${i}`) },
      'symbols',
      undefined,
    ],
    [
      'a universe symbol with the key separator',
      { name: 'U', source: 'market-universe', symbols: ['A:B'] },
      'symbols.0',
      undefined,
    ],
    [
      'a universe with file fields',
      { name: 'U', source: 'market-universe', format: 'csv', content: 'a\n1\n' },
      '',
      'Unrecognized keys: "format", "content"',
    ],
    ['an owner field', { name: 'O', format: 'csv', content: 'a\n1\n', ownerSub: 'bob' }, '', undefined],
  ])('refuses %s with 400', async (_name, body, path, message) => {
    const fake = fakeMlEffects();
    const response = await create(fake, body);
    expect(response.statusCode).toBe(400);
    expect(detailsOf(response.body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path, ...(message === undefined ? {} : { message }) }),
      ]),
    );
    expect(fake.objects.size + fake.items.size).toBe(0);
  });

  it('refuses content over 1 MiB', async () => {
    const fake = fakeMlEffects();
    // 1 MiB = 1048576 bytes; the header "a\n" (2) plus 524288 rows of "1\n" (2 each) is 1048578 bytes
    const content = `a\n${'1\n'.repeat(524_288)}`;
    const response = await create(fake, { name: 'Big', format: 'csv', content });
    expect(response.statusCode).toBe(400);
    expect(detailsOf(response.body)?.[0]?.path).toBe('content');
    expect(fake.objects.size).toBe(0);
  });

  it('takes the file back when its metadata cannot be written', async () => {
    const failures: FakeFailures = { putDataset: new Error('ProvisionedThroughputExceededException') };
    const fake = fakeMlEffects(failures);
    const response = await create(fake, { name: 'P', format: 'csv', content: PRICES_CSV });
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(fake.objects.size).toBe(0);
  });

  it('answers 401 without a valid token', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: 'P', format: 'csv', content: PRICES_CSV }, 'not-a-token');
    expect(response.statusCode).toBe(401);
    expect(fake.objects.size).toBe(0);
  });

  it('takes `source: "file"` as the inline file it defaults to', async () => {
    const fake = fakeMlEffects();
    const response = await create(fake, { name: 'P', source: 'file', format: 'csv', content: PRICES_CSV });
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({ format: 'csv', rows: 2, sizeBytes: 61 });
  });

  it('answers 422 and stores nothing when the market universe has no price history for the caller', async () => {
    const reads: string[] = [];
    const fake = fakeMlEffects(
      {},
      {
        dailyCloses: async (sub, symbol) => {
          reads.push(`${sub}:${symbol}`);
          return [];
        },
      },
    );
    const response = await create(fake, { name: 'U', source: 'market-universe', symbols: ['aapl '] });
    expect(response.statusCode).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'UNPROCESSABLE',
        message:
          'No price history for the symbol: store daily closes first (PUT /instruments/{symbol}/prices)',
      },
    });
    // the caller's own sub from the token, the symbol as market-data keys it
    expect(reads).toEqual(['alice:AAPL']);
    expect(fake.objects.size + fake.items.size).toBe(0);
  });
});
