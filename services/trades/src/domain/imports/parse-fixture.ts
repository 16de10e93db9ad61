// Test support for the import tests: fixture files, chunked streams, and parses collected into arrays.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TradeInput } from '@kupala/trade-model';
import type { GenericCsvMapping } from './generic-csv-mapping';
import { parseBrokerFile } from './parse-broker-file';
import type { BrokerFileInput, ImportFormat, ImportRow, ParseOptions, RowError } from './types';

/** The bytes of a file in fixtures/. */
export const fixtureBytes = (name: string): Buffer => readFileSync(path.join(__dirname, 'fixtures', name));

/** A file as a storage stream delivers it: Buffers of `size` bytes (cutting characters and lines anywhere). */
export async function* inChunks(bytes: Buffer | string, size: number): AsyncGenerator<Buffer> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

/** Every row of a parse. */
export const parseAll = async (
  format: ImportFormat,
  input: BrokerFileInput,
  options: ParseOptions = {},
): Promise<ImportRow[]> => {
  const rows: ImportRow[] = [];
  for await (const row of parseBrokerFile(format, input, options)) rows.push(row);
  return rows;
};

// Rows in file order: parsers hand some on late (refundable charges wait for their refund, derivatives
// and splits for the facts they need), each with its own row number.
export const inFileOrder = (rows: ImportRow[]): ImportRow[] =>
  rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => a.row.row - b.row.row || a.index - b.index)
    .map(({ row }) => row);

/** The trades of a parse with the row each came from, in file order. */
export const tradesOf = (rows: ImportRow[]): { row: number; trade: TradeInput }[] =>
  inFileOrder(rows).flatMap((row) => (row.trade === undefined ? [] : [{ row: row.row, trade: row.trade }]));

export const errorsOf = (rows: ImportRow[]): RowError[] =>
  inFileOrder(rows)
    .flatMap((row) => (row.row === 0 ? [] : row.errors))
    .concat(rows.filter((row) => row.row === 0).flatMap((row) => row.errors));

export const skipsOf = (rows: ImportRow[]): { row: number; skipped: string }[] =>
  inFileOrder(rows).flatMap((row) =>
    row.skipped === undefined ? [] : [{ row: row.row, skipped: row.skipped }],
  );

/** Parses a file that is not what `format` reads and asserts it is one file-level error on row 0, no trade. */
export const expectOneFileError = async (
  format: ImportFormat,
  input: BrokerFileInput,
  message: RegExp,
): Promise<ImportRow[]> => {
  const rows = await parseAll(format, input);

  expect(tradesOf(rows)).toEqual([]);
  expect(rows.at(-1)?.row).toBe(0);
  expect(rows.at(-1)?.errors[0]?.message).toMatch(message);
  return rows;
};

/** A US stock as the US brokers' files (Schwab, Fidelity, IBKR activity) book it: no ISIN, no multiplier. */
export const usdEquity = (symbol: string) => ({ assetClass: 'EQUITY', symbol, currency: 'USD' }) as const;

/** The trade currency of every Schwab and Fidelity trade. */
export const usd = { currency: 'USD' } as const;

/** The option most fixtures trade: AAPL 18 Dec 2026 200 call, 100 shares a contract, as an import books it. */
export const AAPL_DEC26_200_CALL = {
  assetClass: 'OPTION',
  symbol: 'AAPL261218C00200000',
  currency: 'USD',
  multiplier: '100',
  underlying: 'AAPL',
  expiry: '2026-12-18',
  strike: '200',
  putCall: 'C',
} as const;

/** The long put several fixtures let expire: AAPL 16 Jan 2026 150 put, 100 shares a contract. */
export const AAPL_JAN26_150_PUT = {
  assetClass: 'OPTION',
  symbol: 'AAPL260116P00150000',
  currency: 'USD',
  multiplier: '100',
  underlying: 'AAPL',
  expiry: '2026-01-16',
  strike: '150',
  putCall: 'P',
} as const;

/** The mapping of fixtures/generic-eu-semicolon.csv, a German bank's export: semicolons, decimal commas, DD.MM.YYYY, its own words for the trade types. */
export const GENERIC_EU_SEMICOLON_MAPPING: GenericCsvMapping = {
  columns: {
    tradeDate: 'Datum',
    type: 'Art',
    'instrument.symbol': 'Symbol',
    'instrument.isin': 'ISIN',
    quantity: 'Stück',
    price: 'Kurs',
    amount: 'Betrag',
    currency: 'Währung',
    fees: 'Gebühr',
    feeCurrency: 'Gebührenwährung',
    fxRate: 'Devisenkurs',
    ratio: 'Verhältnis',
    externalId: 'Auftrag',
    note: 'Notiz',
  },
  dateFormat: 'DD.MM.YYYY',
  delimiter: ';',
  decimalSeparator: ',',
  typeValues: {
    Kauf: 'BUY',
    Verkauf: 'SELL',
    Dividende: 'DIVIDEND',
    Einzahlung: 'DEPOSIT',
    Steuer: 'TAX',
    Split: 'SPLIT',
  },
};
