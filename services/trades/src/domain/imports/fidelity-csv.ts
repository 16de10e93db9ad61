/*
 * fidelity-csv: Fidelity's account activity ("History") CSV: blank lines first, then the header
 * `Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),
 * Amount ($),Settlement Date` (a `Cash Balance ($)` column, where present, is ignored), the activity, then
 * after a blank line the disclaimer lines ("The data and information in this spreadsheet…", "Date
 * downloaded …").
 * - Run Date (MM/DD/YYYY) → tradeDate, Settlement Date → settleDate, Quantity (negative for sells) →
 *   magnitude, Price ($) → price, Commission ($) + Fees ($) → fees, Amount ($) → amount for cash
 *   activity. Everything is USD, so fees never need converting. Options `-AAPL261218C200` → OPTION (OCC
 *   symbol, multiplier 100); other symbols → EQUITY; cells have Fidelity's leading spaces trimmed.
 * - Actions by their leading words: YOU BOUGHT (… OPENING TRANSACTION) and REINVESTMENT → BUY; YOU
 *   BOUGHT CLOSING TRANSACTION / SHORT COVER → BUY_TO_COVER; YOU SOLD (… CLOSING TRANSACTION) → SELL; YOU
 *   SOLD OPENING TRANSACTION / SHORT SALE → SELL_SHORT; DIVIDEND RECEIVED, LONG-/SHORT-TERM CAP GAIN →
 *   DIVIDEND; INTEREST EARNED → INTEREST; FOREIGN TAX PAID → TAX; FEE CHARGED, MARGIN INTEREST → FEE;
 *   Electronic Funds Transfer, TRANSFERRED FROM/TO, Cash Contribution, Wire Transfer, Direct Deposit/Debit,
 *   Check → DEPOSIT or WITHDRAWAL by the sign of Amount; EXPIRED → EXPIRE.
 * - Skipped as UNSUPPORTED (with a detail): assignments, exercises, redemptions, mergers, splits and
 *   other corporate actions, refunds/reversals (positive tax, negative dividend). Skipped: header,
 *   everything after the first blank line that follows the activity (FOOTER). Other actions: row errors.
 * - File errors: a first non-blank line that is not the Run Date header.
 */
import { canonicalDecimal, Decimal, type TradeType } from '@kupala/trade-model';
import { activityQuantity, activityTradeRow, equityOrOption, refundOrReversal } from './activity-rows';
import { readCsvBatches } from './csv-lines';
import { readUsDate } from './dates';
import { parseFidelityOptionSymbol } from './option-symbols';
import { RowDraft, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

const CURRENCY = 'USD';

type Rule = TradeType | 'BY_SIGN' | { skip: string };

const CORPORATE_ACTION = { skip: 'corporate actions are not imported; book them by hand' };

// First match wins: longer prefixes before the shorter ones they extend.
const ACTIONS: [string, Rule][] = [
  ['YOU BOUGHT CLOSING TRANSACTION', 'BUY_TO_COVER'],
  ['YOU BOUGHT SHORT COVER', 'BUY_TO_COVER'],
  ['YOU BOUGHT', 'BUY'],
  ['YOU SOLD OPENING TRANSACTION', 'SELL_SHORT'],
  ['YOU SOLD SHORT SALE', 'SELL_SHORT'],
  ['YOU SOLD', 'SELL'],
  ['REINVESTMENT', 'BUY'],
  ['DIVIDEND RECEIVED', 'DIVIDEND'],
  ['LONG-TERM CAP GAIN', 'DIVIDEND'],
  ['SHORT-TERM CAP GAIN', 'DIVIDEND'],
  ['INTEREST EARNED', 'INTEREST'],
  ['FOREIGN TAX PAID', 'TAX'],
  ['FEE CHARGED', 'FEE'],
  ['MARGIN INTEREST', 'FEE'],
  ['ELECTRONIC FUNDS TRANSFER', 'BY_SIGN'],
  ['TRANSFERRED FROM', 'BY_SIGN'],
  ['TRANSFERRED TO', 'BY_SIGN'],
  ['CASH CONTRIBUTION', 'BY_SIGN'],
  ['WIRE TRANSFER', 'BY_SIGN'],
  ['DIRECT DEPOSIT', 'BY_SIGN'],
  ['DIRECT DEBIT', 'BY_SIGN'],
  ['CHECK RECEIVED', 'BY_SIGN'],
  ['CHECK PAID', 'BY_SIGN'],
  ['EXPIRED', 'EXPIRE'],
  ['ASSIGNED', CORPORATE_ACTION],
  ['EXERCISED', CORPORATE_ACTION],
  ['REDEMPTION', CORPORATE_ACTION],
  ['MERGER', CORPORATE_ACTION],
  ['DISTRIBUTION', CORPORATE_ACTION],
  ['REVERSE SPLIT', CORPORATE_ACTION],
  ['FORWARD SPLIT', CORPORATE_ACTION],
  ['SPIN OFF', CORPORATE_ACTION],
];

const ruleFor = (action: string): Rule | undefined => {
  const upper = action.toUpperCase().replace(/\s+/g, ' ');
  return ACTIONS.find(([prefix]) => upper.startsWith(prefix))?.[1];
};

interface Columns {
  runDate: number;
  action: number;
  symbol: number;
  quantity: number;
  price: number;
  commission: number;
  fees: number;
  amount: number;
  settlementDate: number;
}

const COLUMN_NAMES: Record<keyof Columns, string> = {
  runDate: 'Run Date',
  action: 'Action',
  symbol: 'Symbol',
  quantity: 'Quantity',
  price: 'Price ($)',
  commission: 'Commission ($)',
  fees: 'Fees ($)',
  amount: 'Amount ($)',
  settlementDate: 'Settlement Date',
};
const OPTIONAL_COLUMNS: ReadonlySet<keyof Columns> = new Set(['commission', 'fees', 'settlementDate']);

const columnsOf = (cells: string[], line: number): Columns => {
  const lower = cells.map((cell) => cell.toLowerCase());
  const columns = {} as Columns;
  const missing: string[] = [];
  for (const [key, name] of Object.entries(COLUMN_NAMES) as [keyof Columns, string][]) {
    columns[key] = lower.indexOf(name.toLowerCase());
    if (columns[key] < 0 && !OPTIONAL_COLUMNS.has(key)) missing.push(`"${name}"`);
  }
  if (missing.length > 0)
    throw new ImportFileError(`not a Fidelity activity CSV: the header lacks ${missing.join(', ')}`, {
      line,
    });
  return columns;
};

const sumFees = (commission: string | undefined, fees: string | undefined): string | undefined => {
  if (commission === undefined || fees === undefined) return commission ?? fees;
  return canonicalDecimal(new Decimal(commission).plus(fees));
};

const readRow = (cells: string[], columns: Columns, line: number): ParsedRow => {
  const cell = (position: number) => {
    const value = position < 0 ? undefined : cells[position];
    return value === undefined || value === '' ? undefined : value;
  };
  const draft = new RowDraft(line);
  const action = cell(columns.action) ?? '';
  const rule = ruleFor(action);
  if (rule === undefined) {
    draft.fail('type', `Fidelity action "${action}" is not known`);
    return draft.failed();
  }
  if (typeof rule === 'object') return skippedRow(line, 'UNSUPPORTED', `"${action}": ${rule.skip}`);

  const amount = draft.number('amount', cell(columns.amount), 'Amount ($)');
  const type: TradeType = rule === 'BY_SIGN' ? (amount?.negative === true ? 'WITHDRAWAL' : 'DEPOSIT') : rule;
  const reversal = refundOrReversal(line, type, amount, action, cell(columns.amount));
  if (reversal !== undefined) return reversal;

  const rawSymbol = cell(columns.symbol);
  const option = rawSymbol === undefined ? undefined : parseFidelityOptionSymbol(rawSymbol);
  const instrument = equityOrOption(draft, type, action, rawSymbol?.toUpperCase(), option, CURRENCY);
  const quantity = activityQuantity(draft, type, cell(columns.quantity));
  const commission = draft.magnitude('fees', cell(columns.commission), 'Commission ($)', 'allowed');
  const fees = draft.magnitude('fees', cell(columns.fees), 'Fees ($)', 'allowed');
  const tradeDate = draft.date('tradeDate', cell(columns.runDate), 'Run Date', readUsDate);
  return activityTradeRow(draft, {
    type,
    instrument,
    quantity,
    amount,
    currency: CURRENCY,
    tradeDate,
    price: { raw: cell(columns.price), column: 'Price ($)' },
    fees: () => sumFees(commission, fees),
    settleDate: { raw: cell(columns.settlementDate), column: 'Settlement Date' },
  });
};

export async function* parseFidelityCsv(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let columns: Columns | undefined;
  let footer = false;
  for await (const batch of readCsvBatches(input)) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) {
        if (columns !== undefined) footer = true;
        continue;
      }
      if (footer) {
        out.push(skippedRow(line, 'FOOTER'));
        continue;
      }
      if (columns === undefined) {
        if ((cells[0] ?? '').toLowerCase() !== 'run date') {
          throw new ImportFileError(
            'not a Fidelity activity CSV: the first line should be the "Run Date,Action,…" header',
            {
              line,
            },
          );
        }
        columns = columnsOf(cells, line);
        out.push(skippedRow(line, 'HEADER'));
        continue;
      }
      out.push(readRow(cells, columns, line));
    }
    yield out;
  }
  if (columns === undefined) throw new ImportFileError('the file is empty: no Fidelity header row');
}
