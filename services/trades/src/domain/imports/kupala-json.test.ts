import type { Trade, TradeInput } from '@kupala/trade-model';
import { newPortfolio, newTrade } from '../booking';
import { exportDocument } from '../export';
import {
  AAPL_DEC26_200_CALL,
  errorsOf,
  expectOneFileError,
  fixtureBytes,
  inChunks,
  parseAll,
  skipsOf,
  tradesOf,
} from './parse-fixture';

const sap = { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR' };

describe('kupala-json', () => {
  it('streams the trades of an export, exactly as written, dropping what the server added', async () => {
    const rows = await parseAll('kupala-json', inChunks(fixtureBytes('kupala-export.json'), 9));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 1, // the note's "] } \ é" must not confuse the scanner
        trade: {
          type: 'DEPOSIT',
          amount: '10000.00',
          currency: 'EUR',
          tradeDate: '2026-01-02',
          note: 'Startkapital ] } \\ é',
        },
      },
      {
        row: 2, // tradeId, portfolioId, instrumentKey, status, version, createdAt, updatedAt dropped; decimals kept as written
        trade: {
          type: 'BUY',
          instrument: { ...sap, isin: 'DE0007164600', multiplier: '1' },
          quantity: '20',
          price: '178.40',
          currency: 'EUR',
          fees: '4.00',
          tradeDate: '2026-01-22',
          settleDate: '2026-01-26',
          externalId: 'ibkr:trade:411111006',
        },
      },
      {
        row: 3,
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          currency: 'USD',
          fees: '1.30',
          tradeDate: '2026-01-21',
          fxRate: '0.9200',
        },
      },
      {
        row: 5,
        trade: { type: 'SPLIT', instrument: sap, ratio: '2', currency: 'EUR', tradeDate: '2026-02-02' },
      },
    ]);
    expect(rows.filter((row) => row.skipped !== undefined)).toEqual([
      { row: 4, line: 61, errors: [], skipped: 'CANCELLED' },
    ]);
    expect(rows.map((row) => row.line)).toEqual([11, 18, 42, 61, 70]);
  });

  it('keeps the broker id as fingerprint, so an export re-imported where it came from books nothing twice', async () => {
    const rows = await parseAll('kupala-json', fixtureBytes('kupala-export.json'));

    expect(rows[1]?.fingerprint).toBe('id:ibkr:trade:411111006');
    expect(rows[0]?.fingerprint).toMatch(/^hash:/);
  });

  it('validates every element strictly: unknown fields and wrong values are row errors', async () => {
    const json = JSON.stringify({
      format: 'kupala-json',
      version: 1,
      trades: [
        { type: 'DEPOSIT', amount: '100', currency: 'EUR', tradeDate: '2026-01-02', owner: 'someone-else' },
        { type: 'BUY', instrument: sap, quantity: 10, price: '1', currency: 'EUR', tradeDate: '2026-01-02' },
        {
          type: 'BUY',
          instrument: sap,
          quantity: '10',
          price: '1',
          currency: 'EUR',
          tradeDate: '2026-13-02',
        },
        'not a trade',
      ],
    });

    const rows = await parseAll('kupala-json', json);

    expect(errorsOf(rows)).toEqual([
      { row: 1, field: 'owner', message: 'is not a field of this trade type (owner)' },
      { row: 2, field: 'quantity', message: 'Invalid input: expected string, received number' },
      { row: 3, field: 'tradeDate', message: '"2026-13-02" must be a calendar date YYYY-MM-DD' },
      { row: 4, field: 'trade', message: 'must be a JSON object' },
    ]);
  });

  it.each([
    [
      'another format',
      '{"format":"kupala-csv","version":1,"trades":[]}',
      /^line 1: not a kupala-json file: "format" is "kupala-csv"$/,
    ],
    [
      'a newer version',
      '{"format":"kupala-json","version":2,"trades":[]}',
      /^line 1: kupala-json version 2 is not supported \(expected 1\)$/,
    ],
    [
      'trades before format',
      '{"trades":[{"type":"FEE"}],"format":"kupala-json","version":1}',
      /^line 1: "format" and "version" must come before "trades"$/,
    ],
    ['no format at all', '{"version":1}', /^not a kupala-json file: no "format" member$/],
    [
      'an unknown member',
      '{"format":"kupala-json","version":1,"owner":"x"}',
      /^line 1: "owner" is not a member of a kupala-json file$/,
    ],
    [
      'a JSON array',
      '[{"type":"FEE"}]',
      /^line 1: the file is not valid JSON here: the file must hold one JSON object$/,
    ],
    [
      'a truncated file',
      '{"format":"kupala-json","version":1,"trades":[{"type":"DEPOSIT"',
      /^line 1: the file is not valid JSON here: the file ends before the object does$/,
    ],
    [
      'a broken element',
      '{"format":"kupala-json","version":1,"trades":[\n{"type" "DEPOSIT"}]}',
      /^line 2: the file is not valid JSON here \(/,
    ],
    [
      'a CSV file',
      'Date,Type\n2026-01-05,BUY\n',
      /^line 1: the file is not valid JSON here: the file must hold one JSON object$/,
    ],
    ['an empty file', '  \n', /^the file is empty: no JSON object$/],
    [
      'an element over 64 KB',
      `{"format":"kupala-json","version":1,"trades":[{"note":"${'x'.repeat(70_000)}"}]}`,
      /^line 1: a value is larger than 65536 characters$/,
    ],
  ])('%s is one file-level error', async (_case, text, message) => {
    const rows = await expectOneFileError('kupala-json', inChunks(text, 1000), message);

    expect(skipsOf(rows)).toEqual([]);
  });
});

describe('kupala-json round trip with the export', () => {
  it('imports an export into the trades it was made of, and exporting those again gives the same document', async () => {
    const portfolio = newPortfolio(
      { name: 'Core', baseCurrency: 'EUR', lotMethod: 'FIFO' },
      { id: '01JH2Z8Q6Y4K3M2N1P0R9S8T7W', now: '2026-01-01T00:00:00.000Z' },
    );
    const inputs: TradeInput[] = [
      {
        type: 'DEPOSIT',
        amount: '10000.00',
        currency: 'EUR',
        tradeDate: '2026-01-02',
        note: 'a "quoted" note, with ] and }',
      },
      {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'sap', currency: 'EUR', isin: 'DE0007164600' },
        quantity: '20',
        price: '178.40',
        currency: 'EUR',
        fees: '4.00',
        tradeDate: '2026-01-22',
        externalId: 'ibkr:trade:411111006',
      },
      {
        type: 'SPLIT',
        instrument: { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR' },
        ratio: '2',
        currency: 'EUR',
        tradeDate: '2026-02-02',
      },
      { type: 'FEE', amount: '2.50', currency: 'EUR', tradeDate: '2026-02-03' },
    ];
    const booked = inputs.map((input, index) =>
      newTrade(portfolio.portfolioId, input, {
        id: `01JH2Z8Q6Y4K3M2N1P0R9S8T${index}0`,
        now: '2026-03-01T00:00:00.000Z',
      }),
    );
    const cancelled = { ...booked[3], status: 'CANCELLED' } as Trade;
    const document = exportDocument(
      portfolio,
      [...booked.slice(0, 3), cancelled],
      '2026-03-01T08:30:00.000Z',
    );

    const rows = await parseAll('kupala-json', inChunks(JSON.stringify(document, null, 2), 64));
    const imported = tradesOf(rows).map(({ trade }) => trade);
    const rebooked = imported.map((input, index) =>
      newTrade('01JH2Z8Q6Y4K3M2N1P0R9S8T7X', input, {
        id: `01JH2Z8Q6Y4K3M2N1P0R9S8T${index}1`,
        now: '2026-03-02T00:00:00.000Z',
      }),
    );

    expect(errorsOf(rows)).toEqual([]);
    expect(skipsOf(rows)).toEqual([{ row: 4, skipped: 'CANCELLED' }]);
    expect(exportDocument(portfolio, rebooked, '2026-03-01T08:30:00.000Z')).toEqual({
      ...document,
      trades: document.trades.slice(0, 3),
    });
  });
});
