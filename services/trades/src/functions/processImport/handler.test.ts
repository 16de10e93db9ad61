import type { Portfolio } from '@kupala/trade-model';
import type { ImportFiles } from '../../adapters/import-files';
import type { ImportOutcome, ImportRecord, ImportsStore } from '../../adapters/imports-store';
import type { TradesStore } from '../../adapters/trades-store';
import type { ImportsSideEffects } from '../../sideEffects';
import { objectCreatedEvent } from '../../testing/imports-requests';
import { buildHandler } from './handler';

const PORTFOLIO: Portfolio = {
  portfolioId: 'P1',
  name: 'Core',
  baseCurrency: 'USD',
  lotMethod: 'FIFO',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const pending = (overrides: Partial<ImportRecord> = {}): ImportRecord => ({
  importId: 'I1',
  portfolioId: 'P1',
  format: 'kupala-json',
  dryRun: false,
  status: 'PENDING',
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
  errors: [],
  progress: { rowsRead: 0 },
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  ...overrides,
});

const fakeEffects = (
  record: ImportRecord | undefined,
  content: string,
  portfolio: Portfolio | null = PORTFOLIO,
) => {
  const finished: ImportOutcome[] = [];
  const booked: unknown[] = [];
  const imports: Partial<ImportsStore> = {
    claimImport: async () =>
      record === undefined || record.status === 'SUCCEEDED' || record.status === 'FAILED'
        ? undefined
        : record,
    recordProgress: async () => undefined,
    finishImport: async (_sub, _portfolioId, _importId, outcome) => {
      finished.push(outcome);
    },
  };
  const store: Partial<TradesStore> = {
    getPortfolio: async () => portfolio ?? undefined,
    existingFingerprints: async () => new Map(),
    existingExternalIds: async () => [],
    insertImportedChunk: async (_sub, _portfolioId, _importId, chunk) => {
      booked.push(...chunk);
      return { kind: 'OK' };
    },
  };
  const files: Partial<ImportFiles> = {
    openSource: async () => ({
      body: (async function* () {
        yield Buffer.from(content);
      })(),
      pin: { etag: '"fixed"' },
      bytes: Buffer.byteLength(content),
    }),
  };
  let id = 0;
  const effects = {
    store,
    imports,
    files,
    newId: () => `01J00000000000000000000${String(id++).padStart(3, '0')}`,
    now: () => '2026-11-24T10:00:01.000Z',
  } as unknown as ImportsSideEffects;
  return { handler: buildHandler(() => effects), finished, booked };
};

const KUPALA = JSON.stringify({
  format: 'kupala-json',
  version: 1,
  trades: [{ type: 'DEPOSIT', amount: '100.00', currency: 'USD', tradeDate: '2026-01-02', status: 'ACTIVE' }],
});
const sourceEvent = (key = 'user-1/P1/I1/source') => objectCreatedEvent('bucket', key);

describe('processImport (S3 ObjectCreated)', () => {
  it('runs a pending import and finishes it with its counts', async () => {
    const fake = fakeEffects(pending(), KUPALA);
    await fake.handler(sourceEvent());
    expect(fake.finished).toEqual([
      {
        status: 'SUCCEEDED',
        errors: [],
        rows: 1,
        imported: 1,
        duplicates: 0,
        skipped: 0,
        skippedByReason: {},
      },
    ]);
    expect(fake.booked).toHaveLength(1);
  });

  it('ignores a redelivered event of a finished import and keys that are not import sources', async () => {
    const fake = fakeEffects(pending({ status: 'SUCCEEDED' }), KUPALA);
    await fake.handler(sourceEvent());
    await fake.handler(sourceEvent('user-1/P1/I1/other'));
    expect(fake.finished).toEqual([]);
    expect(fake.booked).toEqual([]);
  });

  it('fails a broken file without throwing, booking nothing', async () => {
    const fake = fakeEffects(pending(), '{"format":"kupala-json","version":1,"trades":[');
    await expect(fake.handler(sourceEvent())).resolves.toBeUndefined();
    expect(fake.finished[0]?.status).toBe('FAILED');
    expect(fake.finished[0]?.errors[0]).toMatchObject({ row: 0, field: 'file' });
    expect(fake.booked).toEqual([]);
  });

  it('fails the import when the portfolio was deleted before it ran', async () => {
    const fake = fakeEffects(pending(), KUPALA, null);
    await fake.handler(sourceEvent());
    expect(fake.finished[0]).toMatchObject({ status: 'FAILED', errors: [{ row: 0, field: 'portfolioId' }] });
  });
});
