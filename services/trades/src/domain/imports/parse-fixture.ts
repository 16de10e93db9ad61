// Test support for the import tests: fixture files, chunked streams, and parses collected into arrays.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TradeInput } from '@kupala/trade-model';
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

/** The trades of a parse with the row each came from, in file order. */
export const tradesOf = (rows: ImportRow[]): { row: number; trade: TradeInput }[] =>
  rows.flatMap((row) => (row.trade === undefined ? [] : [{ row: row.row, trade: row.trade }]));

export const errorsOf = (rows: ImportRow[]): RowError[] => rows.flatMap((row) => row.errors);

export const skipsOf = (rows: ImportRow[]): { row: number; skipped: string }[] =>
  rows.flatMap((row) => (row.skipped === undefined ? [] : [{ row: row.row, skipped: row.skipped }]));

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
