import { DECIMAL_PATTERN } from '@kupala/trade-model';
import { parse } from 'csv-parse/sync';
import type { BrokerPosition } from './reconcile';

/**
 * Broker positions statements, parsed for reconciliation. They live here, beside the reconciliation they
 * feed (pure, no AWS): the positions service will call them from its reconcile route, and no service
 * imports another.
 */
export interface ParsedStatement {
  positions: BrokerPosition[];
  errors: { row: number; field: string; message: string }[];
  skipped: { row: number; reason: string }[];
}

/** Most rows one statement may hold. */
export const MAX_STATEMENT_ROWS = 20_000;

export class StatementTooLargeError extends Error {
  override readonly name = 'StatementTooLargeError';
}

type CsvRecord = { record: string[]; info: { lines: number } };
const readCsv = (content: string): CsvRecord[] => {
  const records = parse(content, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    to_line: MAX_STATEMENT_ROWS + 50,
  }) as unknown as CsvRecord[];
  return records;
};

/** "1,234.50" → "1234.5"-style checked decimal text; undefined when it is not a number. */
const decimalText = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const text = raw.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  return DECIMAL_PATTERN.test(text) ? text : undefined;
};

const HEADER_ALIASES: Record<'symbol' | 'quantity' | 'currency' | 'costBasis', string[]> = {
  symbol: ['symbol', 'ticker'],
  quantity: ['quantity', 'qty', 'shares', 'position'],
  currency: ['currency', 'ccy'],
  costBasis: ['costbasis', 'cost', 'totalcost'],
};
const normalized = (header: string) => header.toLowerCase().replace(/[\s_-]/g, '');

/**
 * A generic positions CSV: a header row naming the columns (case, spaces and underscores ignored):
 * Symbol (or Ticker), Quantity (Qty, Shares, Position), optional Currency (Ccy) and Cost Basis (Cost,
 * Total Cost). Numbers may carry thousands separators ("1,250.5"). A row with a blank symbol is skipped.
 */
export const parseGenericPositionsCsv = (content: string): ParsedStatement => {
  const records = readCsv(content);
  const result: ParsedStatement = { positions: [], errors: [], skipped: [] };
  const [header, ...rows] = records;
  if (header === undefined) return result;
  if (rows.length > MAX_STATEMENT_ROWS)
    throw new StatementTooLargeError(`a statement holds at most ${MAX_STATEMENT_ROWS} rows`);
  const columns = header.record.map(normalized);
  const indexOf = (field: keyof typeof HEADER_ALIASES) =>
    columns.findIndex((name) => HEADER_ALIASES[field].includes(name));
  const symbolColumn = indexOf('symbol');
  const quantityColumn = indexOf('quantity');
  const currencyColumn = indexOf('currency');
  const costColumn = indexOf('costBasis');
  for (const [field, column] of [
    ['symbol', symbolColumn],
    ['quantity', quantityColumn],
  ] as const) {
    if (column < 0)
      result.errors.push({ row: header.info.lines, field, message: `no ${field} column in the header` });
  }
  if (result.errors.length > 0) return result;

  for (const { record, info } of rows) {
    const symbol = record[symbolColumn]?.trim() ?? '';
    if (symbol === '') {
      result.skipped.push({ row: info.lines, reason: 'no symbol' });
      continue;
    }
    const quantity = decimalText(record[quantityColumn]);
    const costRaw = costColumn < 0 ? undefined : record[costColumn]?.trim();
    const costBasis = costRaw === undefined || costRaw === '' ? undefined : decimalText(costRaw);
    const currency =
      currencyColumn < 0 ? undefined : record[currencyColumn]?.trim().toUpperCase() || undefined;
    if (quantity === undefined) {
      result.errors.push({ row: info.lines, field: 'quantity', message: 'is not a number' });
      continue;
    }
    if (costRaw !== undefined && costRaw !== '' && costBasis === undefined) {
      result.errors.push({ row: info.lines, field: 'costBasis', message: 'is not a number' });
      continue;
    }
    result.positions.push({
      row: info.lines,
      symbol: symbol.toUpperCase(),
      quantity,
      ...(currency === undefined ? {} : { currency }),
      ...(costBasis === undefined ? {} : { costBasis }),
    });
  }
  return result;
};

/**
 * The "Open Positions" section of an IBKR Activity Statement CSV (`Open Positions,Header,…` then
 * `Open Positions,Data,…` rows; every other section is ignored). Only `Summary` rows count (`Lot` rows
 * detail them); `Total`/`SubTotal` rows and Forex balances (cash, reconciled with cash) are skipped.
 * Columns used: Symbol, Currency, Quantity, Cost Basis.
 */
export const parseIbkrOpenPositions = (content: string): ParsedStatement => {
  const result: ParsedStatement = { positions: [], errors: [], skipped: [] };
  let header: string[] | undefined;
  let rows = 0;
  for (const { record, info } of readCsv(content)) {
    const [section, kind, ...fields] = record;
    if (section !== 'Open Positions') continue;
    if (kind === 'Header') {
      header = fields;
      continue;
    }
    if (kind !== 'Data') {
      result.skipped.push({ row: info.lines, reason: `${kind ?? 'unknown'} row` });
      continue;
    }
    rows += 1;
    if (rows > MAX_STATEMENT_ROWS)
      throw new StatementTooLargeError(`a statement holds at most ${MAX_STATEMENT_ROWS} rows`);
    if (header === undefined) {
      result.errors.push({
        row: info.lines,
        field: 'header',
        message: 'Open Positions data before its header',
      });
      continue;
    }
    const columns = header;
    const value = (name: string) => {
      const index = columns.indexOf(name);
      return index < 0 ? undefined : fields[index]?.trim();
    };
    const discriminator = value('DataDiscriminator');
    if (discriminator !== undefined && discriminator !== 'Summary') {
      result.skipped.push({ row: info.lines, reason: `${discriminator} row` });
      continue;
    }
    if (value('Asset Category') === 'Forex') {
      result.skipped.push({ row: info.lines, reason: 'Forex balance (cash)' });
      continue;
    }
    const symbol = value('Symbol') ?? '';
    const quantity = decimalText(value('Quantity'));
    const costRaw = value('Cost Basis');
    const costBasis = decimalText(costRaw);
    if (symbol === '') result.errors.push({ row: info.lines, field: 'Symbol', message: 'is empty' });
    else if (quantity === undefined)
      result.errors.push({ row: info.lines, field: 'Quantity', message: 'is not a number' });
    else if (costRaw !== undefined && costRaw !== '' && costBasis === undefined)
      result.errors.push({ row: info.lines, field: 'Cost Basis', message: 'is not a number' });
    else {
      const currency = value('Currency');
      result.positions.push({
        row: info.lines,
        symbol: symbol.toUpperCase(),
        quantity,
        ...(currency === undefined || currency === '' ? {} : { currency }),
        ...(costBasis === undefined ? {} : { costBasis }),
      });
    }
  }
  return result;
};
