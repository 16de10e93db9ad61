/*
 * ibkr-flex-csv: an Interactive Brokers Flex Query delivered as CSV. Each section (Trades, Cash
 * Transactions) starts with a header row of IBKR field names (`ClientAccountID,CurrencyPrimary,
 * AssetClass,Symbol,…,Buy/Sell,…,TradeID,…`; the XML attribute names are accepted too). With the Flex
 * option "include section code and line descriptor" rows start with BOF/BOA/BOS/HEADER/DATA/EOS/EOA/EOF
 * and a section code (TRNT, CTRN); both layouts are read.
 * - A section is read as trades when its header has tradePrice or buySell, as cash transactions when it
 *   has type and amount; other sections' rows are skipped (OTHER_SECTION).
 * - Mapping, fees in another currency (converted at FXRateToBase when in the base currency, else a
 *   separate FEE trade) and skips: the same as the XML (ibkr-records.ts); tradeIDs match the XML's, so
 *   the same statement in either format gives the same fingerprints.
 * - A data row with fewer or more cells than its section's header is a row error ("N cells, header has
 *   M"); executions are cross-checked against TradeMoney/Proceeds (ibkr-records.ts).
 * - File errors: a first line that is not a Flex header (IBKR field names such as AssetClass, Conid,
 *   IBCommission), no Trades or Cash Transactions section at all, a section missing a required column.
 */
import { readCsvBatches } from './csv-lines';
import { type IbkrRecord, ibkrCashRow, ibkrFieldName, ibkrTradeRows } from './ibkr-records';
import { raggedRow, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

interface Section {
  kind: 'trades' | 'cash' | 'other';
  names: string[];
}

const KNOWN_FIELDS = new Set([
  'accountid',
  'currency',
  'assetcategory',
  'symbol',
  'description',
  'isin',
  'conid',
  'tradeid',
  'transactionid',
  'tradedate',
  'datetime',
  'reportdate',
  'quantity',
  'tradeprice',
  'buysell',
  'ibcommission',
  'type',
  'amount',
  'levelofdetail',
  'fxratetobase',
]);
const REQUIRED: Record<'trades' | 'cash', string[][]> = {
  trades: [
    ['assetcategory'],
    ['symbol'],
    ['currency'],
    ['quantity'],
    ['tradeprice'],
    ['tradedate', 'datetime'],
  ],
  cash: [['type'], ['amount'], ['currency'], ['datetime', 'reportdate']],
};
// How the Flex query names a required field, for the message.
const FLEX_NAMES: ReadonlyMap<string, string> = new Map([
  ['assetcategory', 'AssetClass'],
  ['symbol', 'Symbol'],
  ['currency', 'CurrencyPrimary'],
  ['quantity', 'Quantity'],
  ['tradeprice', 'TradePrice'],
  ['tradedate', 'TradeDate'],
  ['datetime', 'DateTime'],
  ['type', 'Type'],
  ['amount', 'Amount'],
  ['reportdate', 'ReportDate'],
]);
const OPENERS = new Set(['BOF', 'BOA', 'BOS']);
const CLOSERS = new Set(['EOS', 'EOA', 'EOF']);

// Names only IBKR uses: a header of generic names (Symbol, Quantity, Amount) is another broker's file.
const IBKR_FIELDS = new Set([
  'assetcategory',
  'accountid',
  'conid',
  'ibcommission',
  'fxratetobase',
  'levelofdetail',
]);

const looksLikeHeader = (cells: string[]): boolean => {
  const names = cells.map(ibkrFieldName);
  return (
    names.filter((name) => KNOWN_FIELDS.has(name)).length >= 3 && names.some((name) => IBKR_FIELDS.has(name))
  );
};

const sectionOf = (header: string[], line: number): Section => {
  const names = header.map(ibkrFieldName);
  const has = (name: string) => names.includes(name);
  const kind =
    has('tradeprice') || has('buysell') ? 'trades' : has('type') && has('amount') ? 'cash' : 'other';
  if (kind !== 'other') {
    const missing = REQUIRED[kind]
      .filter((choices) => !choices.some(has))
      .map((choices) => choices.map((name) => FLEX_NAMES.get(name) ?? name).join(' or '));
    if (missing.length > 0) {
      throw new ImportFileError(
        `the ${kind === 'trades' ? 'Trades' : 'Cash Transactions'} header lacks ${missing.join(', ')}: add ${missing.length === 1 ? 'it' : 'them'} to the Flex query`,
        {
          line,
        },
      );
    }
  }
  return { kind, names };
};

const recordOf = (section: Section, cells: string[]): IbkrRecord => {
  const record: IbkrRecord = new Map();
  section.names.forEach((name, position) => {
    const value = cells[position];
    if (value !== undefined && !record.has(name)) record.set(name, value);
  });
  return record;
};

const rowsOf = (section: Section, cells: string[], line: number, options: ParseOptions): ParsedRow[] => {
  if (section.kind !== 'other' && cells.length !== section.names.length)
    return [raggedRow(line, cells.length, section.names.length)];
  if (section.kind === 'trades')
    return ibkrTradeRows(recordOf(section, cells), { row: line }, options.baseCurrency);
  if (section.kind === 'cash') return [ibkrCashRow(recordOf(section, cells), { row: line })];
  return [skippedRow(line, 'OTHER_SECTION')];
};

export async function* parseIbkrFlexCsv(
  input: BrokerFileInput,
  options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let started = false;
  let current: Section | undefined;
  let readable = false;
  const coded = new Map<string, Section>();
  for await (const batch of readCsvBatches(input)) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) continue;
      const marker = (cells[0] ?? '').toUpperCase();
      if (!started) {
        started = true;
        if (!OPENERS.has(marker) && marker !== 'HEADER' && !looksLikeHeader(cells)) {
          throw new ImportFileError(
            'not an IBKR Flex CSV: the first line is not a header of IBKR field names',
            { line },
          );
        }
      }
      if (OPENERS.has(marker) || CLOSERS.has(marker)) {
        out.push(skippedRow(line, OPENERS.has(marker) ? 'HEADER' : 'FOOTER'));
      } else if (marker === 'HEADER') {
        const section = sectionOf(cells.slice(2), line);
        readable ||= section.kind !== 'other';
        coded.set(cells[1] ?? '', section);
        out.push(skippedRow(line, 'HEADER'));
      } else if (marker === 'DATA') {
        const section = coded.get(cells[1] ?? '');
        if (section === undefined)
          throw new ImportFileError(`a DATA row of section "${cells[1]}" before its HEADER row`, { line });
        out.push(...rowsOf(section, cells.slice(2), line, options));
      } else if (looksLikeHeader(cells)) {
        current = sectionOf(cells, line);
        readable ||= current.kind !== 'other';
        out.push(skippedRow(line, 'HEADER'));
      } else if (current !== undefined) {
        out.push(...rowsOf(current, cells, line, options));
      }
    }
    yield out;
  }
  if (!started) throw new ImportFileError('the file is empty: no IBKR Flex header row');
  if (!readable)
    throw new ImportFileError(
      'not an IBKR Flex CSV of trades or cash: it has no Trades or Cash Transactions section',
    );
}
