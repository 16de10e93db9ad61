import { tokenFor } from '@kupala/local-stack';
import { getEnvVariable, MAX_IMPORT_FILE_BYTES } from '@kupala/trade-model';
import type { SourceLimits } from '../../adapters/import-files';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';
import { importsApi, objectCreatedEvent, subOf } from '../../testing/imports-requests';
import { tradesApi } from '../../testing/requests';
import { buildHandler } from './handler';

// DynamoDB Local on a shared 2-core machine: hundreds of trades take seconds, not milliseconds
jest.setTimeout(60_000);

const MAPPING = {
  columns: { tradeDate: 'Date', type: 'Type', amount: 'Amount', currency: 'Ccy' },
};
const file = (amounts: string[]) =>
  `Date,Type,Amount,Ccy\n${amounts.map((amount) => `2026-01-02,DEPOSIT,${amount},USD`).join('\n')}\n`;

describe('import sources: pinned between passes, bounded in bytes and lines (local S3 + DynamoDB Local)', () => {
  let token: string;
  let api: ReturnType<typeof importsApi>;
  let trades: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`sources-${Date.now()}`);
    api = importsApi(token);
    trades = tradesApi(token);
  });

  /** Creates an import with inline content, then runs processing with `effects` and `limits`. */
  const runWith = async (content: string, effects: () => ImportsSideEffects, limits?: SourceLimits) => {
    const portfolioId = await trades.createPortfolio();
    const created = await api.create(portfolioId, { format: 'generic-csv', mapping: MAPPING, content });
    const { importId } = created.body as { importId: string };
    const key = `${subOf(token)}/${portfolioId}/${importId}/source`;
    await buildHandler(effects, limits)(objectCreatedEvent(getEnvVariable('IMPORTS_BUCKET'), key));
    const status = (await api.get(portfolioId, importId)).body as {
      status: string;
      imported: number;
      errors: { row: number; field: string; message: string }[];
    };
    const listed = (await trades.list(portfolioId)).body as { items: unknown[] };
    return { status, booked: listed.items.length, portfolioId, importId };
  };

  it('fails, booking nothing, when the file is replaced between validation and booking', async () => {
    const real = importsSideEffects();
    let opened = 0;
    const replacing: ImportsSideEffects = {
      ...real,
      files: {
        ...real.files,
        // just before the booking pass opens it, someone stores another file under the same key
        openSource: async (key, pin) => {
          opened += 1;
          if (opened === 2) await real.files.putSource(key, file(['999999']));
          return real.files.openSource(key, pin);
        },
      },
    };
    const { status, booked } = await runWith(file(['100', '200']), () => replacing);
    expect(opened).toBe(2);
    expect(status.status).toBe('FAILED');
    expect(status.imported).toBe(0);
    expect(status.errors).toEqual([
      {
        row: 0,
        field: 'file',
        message: expect.stringContaining('the file was replaced after it was validated'),
      },
    ]);
    expect(booked).toBe(0);
  });

  it('books a file that stayed the same across both passes', async () => {
    const { status, booked } = await runWith(file(['100', '200']), importsSideEffects);
    expect(status).toMatchObject({ status: 'SUCCEEDED', imported: 2 });
    expect(booked).toBe(2);
  });

  it('counts every line against the line limit, blank ones included', async () => {
    const limits = { maxBytes: MAX_IMPORT_FILE_BYTES, maxLines: 5 };
    // header + 2 rows + 2 blank lines = 5 lines: within the limit
    const five = await runWith(`${file(['1', '2'])}\n\n`, importsSideEffects, limits);
    expect(five.status).toMatchObject({ status: 'SUCCEEDED', imported: 2 });
    // one blank line more (6 lines, still 2 rows) is over it: refused as a whole
    const six = await runWith(`${file(['1', '2'])}\n\n\n`, importsSideEffects, limits);
    expect(six.status.status).toBe('FAILED');
    expect(six.status.errors).toEqual([{ row: 0, field: 'file', message: 'the file has more than 5 lines' }]);
    expect(six.booked).toBe(0);
  });

  it('refuses a stored file above the size limit before parsing it', async () => {
    const content = file(['1']); // 46 bytes: 20 of header + 26 of row
    expect(Buffer.byteLength(content)).toBe(46);
    const { status, booked } = await runWith(content, importsSideEffects, { maxBytes: 45, maxLines: 10 });
    expect(status.errors).toEqual([{ row: 0, field: 'file', message: 'the file is larger than 45 bytes' }]);
    expect(booked).toBe(0);
  });

  it('signs the upload form with the size limit as a content-length-range condition', async () => {
    const portfolioId = await trades.createPortfolio();
    const created = await api.create(portfolioId, { format: 'generic-csv', mapping: MAPPING });
    const { uploadFields } = created.body as { uploadFields: Record<string, string> };
    const policy = JSON.parse(Buffer.from(uploadFields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 256 * 1024 * 1024]);
    expect(uploadFields.key).toMatch(new RegExp(`^${subOf(token)}/${portfolioId}/[0-9A-Z]{26}/source$`));
  });
});
