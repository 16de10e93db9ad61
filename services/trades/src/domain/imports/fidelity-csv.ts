/*
 * fidelity-csv: Fidelity's account activity ("History") CSV, in its two layouts:
 * - the account download: blank lines and the account's name (`Brokerage`, a one-cell line) first, then
 *   `Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),
 *   Amount ($),Settlement Date` (a `Cash Balance ($)` column, where present, is ignored);
 * - the "all accounts" download: `Run Date,Account,Account Number,Action,Symbol,Description,Type,…,
 *   Currency,Price,Quantity,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date`
 *   (columns without "($)"; every account's rows go into the one portfolio).
 *   Then the activity and, after a blank line, the footer: disclaimer lines and `Date downloaded …`
 *   (also in its `"Date downloaded" 12/31/2021, 9:11 AM` form, read leniently: FOOTER).
 * - Run Date (MM/DD/YYYY) → tradeDate, Settlement Date → settleDate, Quantity (negative for sells) →
 *   magnitude, Price → price, Commission + Fees → fees, Amount → amount for cash activity. Trades in USD
 *   (or the Currency column), so fees never need converting. Options `-AAPL261218C200` → OPTION (OCC
 *   symbol, multiplier 100). A CUSIP symbol whose description or action reads as a bond or Treasury
 *   (a coupon `2.75000%`, TREAS, NOTE, BILL, BDS…) → BOND: Fidelity quotes it in percent of par, so its
 *   multiplier is "0.01" (notional = quantity × price / 100). Other symbols → EQUITY. Cells have
 *   Fidelity's leading spaces trimmed.
 * - Cross-check: quantity × price × multiplier + commission + fees + accrued interest (buys; minus for
 *   sells) must equal |Amount| within the rounding of the figures as written (plus 0.5%), else a row
 *   error: a misread pricing convention never books a position 100 times too big. Accrued interest paid with a
 *   bond purchase is a separate FEE (received with a sale: INTEREST), noted as such.
 * - Actions by their leading words: YOU BOUGHT (… OPENING TRANSACTION) and REINVESTMENT → BUY; YOU
 *   BOUGHT CLOSING TRANSACTION / SHORT COVER → BUY_TO_COVER; YOU SOLD (… CLOSING TRANSACTION) → SELL; YOU
 *   SOLD OPENING TRANSACTION / SHORT SALE → SELL_SHORT; DIVIDEND RECEIVED, LONG-/SHORT-TERM CAP GAIN →
 *   DIVIDEND; INTEREST EARNED, MUNI EXEMPT INT → INTEREST; FOREIGN TAX PAID → TAX; FEE CHARGED, MARGIN
 *   INTEREST → FEE; Electronic Funds Transfer, TRANSFERRED FROM/TO, Cash Contribution, Wire Transfer,
 *   Direct Deposit/Debit, Check Received/Paid → DEPOSIT or WITHDRAWAL by the sign of Amount; EXPIRED →
 *   EXPIRE. A refund or reversal (positive tax, negative dividend) is netted with the charge it undoes.
 * - Skipped as UNSUPPORTED (with a detail): assignments, exercises, redemptions, mergers, splits and
 *   other corporate actions. Skipped: the account-name line (TITLE), header, everything after the first
 *   blank line that follows the activity (FOOTER). Other actions: row errors. A row with fewer or more
 *   cells than the header is a row error ("N cells, header has M").
 * - File errors: a first line that is neither blank, the account name nor the Run Date header.
 */
import { canonicalDecimal, Decimal, type TradeType } from '@kupala/trade-model';
import { activityQuantity, activityTradeRow, equityOrOption, isRefundOrReversal } from './activity-rows';
import { readCsvBatches } from './csv-lines';
import { readUsDate } from './dates';
import { parseFidelityOptionSymbol } from './option-symbols';
import { compact, RowDraft, raggedRow, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

const CURRENCY = 'USD';

type Rule = TradeType | 'BY_SIGN' | { skip: 'UNSUPPORTED' | 'NON_ECONOMIC'; why: string };

const CORPORATE_ACTION = {
  skip: 'UNSUPPORTED',
  why: 'corporate actions are not imported; book them by hand',
} as const;

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
  ['MUNI EXEMPT INT', 'INTEREST'],
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
  ['NAME CHANGE', { skip: 'NON_ECONOMIC', why: 'a new name for the same holding moves no cash' }],
];

const ruleFor = (action: string): Rule | undefined => {
  const upper = action.toUpperCase().replace(/\s+/g, ' ');
  return ACTIONS.find(([prefix]) => upper.startsWith(prefix))?.[1];
};

interface Columns {
  width: number;
  runDate: number;
  action: number;
  symbol: number;
  description: number;
  quantity: number;
  price: number;
  commission: number;
  fees: number;
  accruedInterest: number;
  amount: number;
  currency: number;
  settlementDate: number;
}

type ColumnKey = Exclude<keyof Columns, 'width'>;

// Each column under its account-download name, then its "all accounts" name.
const COLUMN_NAMES: Record<ColumnKey, string[]> = {
  runDate: ['Run Date'],
  action: ['Action'],
  symbol: ['Symbol'],
  description: ['Security Description', 'Description'],
  quantity: ['Quantity'],
  price: ['Price ($)', 'Price'],
  commission: ['Commission ($)', 'Commission'],
  fees: ['Fees ($)', 'Fees'],
  accruedInterest: ['Accrued Interest ($)', 'Accrued Interest'],
  amount: ['Amount ($)', 'Amount'],
  currency: ['Currency'],
  settlementDate: ['Settlement Date'],
};
const OPTIONAL_COLUMNS: ReadonlySet<ColumnKey> = new Set([
  'description',
  'commission',
  'fees',
  'accruedInterest',
  'currency',
  'settlementDate',
]);

const columnsOf = (cells: string[], line: number): Columns => {
  const lower = cells.map((cell) => cell.toLowerCase());
  const columns = { width: cells.length } as Columns;
  const missing: string[] = [];
  for (const [key, names] of Object.entries(COLUMN_NAMES) as [ColumnKey, string[]][]) {
    const found = names.map((name) => lower.indexOf(name.toLowerCase())).find((position) => position >= 0);
    columns[key] = found ?? -1;
    if (found === undefined && !OPTIONAL_COLUMNS.has(key)) missing.push(`"${names[0]}"`);
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

const CUSIP = /^[0-9]{3}[0-9A-Z]{5}[0-9]$/;
const BOND_WORDS =
  /\d\.\d+%|\bTREAS|\bNOTES?\b|\bBILLS?\b|\bBDS?\b|\bBONDS?\b|\bZERO CPN\b|\bDEBS?\b|\bMUNI\b/;

/** A CUSIP's check digit (the last of its nine characters) agrees with the other eight. */
const isCusip = (symbol: string): boolean => {
  if (!CUSIP.test(symbol)) return false;
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const code = symbol.charCodeAt(index);
    let value = code <= 57 ? code - 48 : code - 55;
    if (index % 2 === 1) value *= 2;
    sum += Math.floor(value / 10) + (value % 10);
  }
  return (10 - (sum % 10)) % 10 === symbol.charCodeAt(8) - 48;
};

const readRow = (cells: string[], columns: Columns, line: number): ParsedRow[] => {
  const cell = (position: number) => {
    const value = position < 0 ? undefined : cells[position];
    return value === undefined || value === '' ? undefined : value;
  };
  const draft = new RowDraft(line);
  const action = cell(columns.action) ?? '';
  const rule = ruleFor(action);
  if (rule === undefined) {
    draft.fail('type', `Fidelity action "${action.slice(0, 60)}" is not known`);
    return [draft.failed()];
  }
  if (typeof rule === 'object') return [skippedRow(line, rule.skip, `"${action}": ${rule.why}`)];

  const amount = draft.number('amount', cell(columns.amount), 'Amount ($)');
  const type: TradeType = rule === 'BY_SIGN' ? (amount?.negative === true ? 'WITHDRAWAL' : 'DEPOSIT') : rule;
  const currency = cell(columns.currency)?.toUpperCase() ?? CURRENCY;

  const rawSymbol = cell(columns.symbol)?.toUpperCase();
  const option = rawSymbol === undefined ? undefined : parseFidelityOptionSymbol(rawSymbol);
  const description = `${action} ${cell(columns.description) ?? ''}`.toUpperCase();
  const bond = rawSymbol !== undefined && isCusip(rawSymbol) && BOND_WORDS.test(description);
  const instrument = bond
    ? { assetClass: 'BOND', symbol: rawSymbol, currency, multiplier: '0.01' }
    : equityOrOption(draft, type, action, rawSymbol, option, currency);
  const quantity = activityQuantity(draft, type, cell(columns.quantity));
  const commission = draft.magnitude('fees', cell(columns.commission), 'Commission ($)', 'allowed');
  const fees = draft.magnitude('fees', cell(columns.fees), 'Fees ($)', 'allowed');
  const accrued = draft.number('fees', cell(columns.accruedInterest), 'Accrued Interest ($)');
  const tradeDate = draft.date('tradeDate', cell(columns.runDate), 'Run Date', readUsDate);
  const row = activityTradeRow(draft, {
    type,
    instrument,
    quantity,
    amount,
    amountColumn: 'Amount ($)',
    currency,
    tradeDate,
    price: { raw: cell(columns.price), column: 'Price ($)' },
    fees: () => sumFees(commission, fees),
    otherCharges: [accrued?.magnitude],
    settleDate: { raw: cell(columns.settlementDate), column: 'Settlement Date' },
  });
  if (isRefundOrReversal(type, amount)) row.reverses = true;
  const rows = [row];
  const buys = type === 'BUY' || type === 'BUY_TO_COVER';
  if (
    row.errors.length === 0 &&
    accrued !== undefined &&
    /[1-9]/.test(accrued.magnitude) &&
    (buys || type === 'SELL' || type === 'SELL_SHORT')
  ) {
    rows.push({
      row: line,
      errors: [],
      candidate: compact({
        type: buys ? 'FEE' : 'INTEREST',
        amount: accrued.magnitude,
        currency,
        tradeDate,
        settleDate: row.candidate?.settleDate,
        note: `accrued interest ${buys ? 'paid with the purchase' : 'received with the sale'} of ${rawSymbol ?? ''} on line ${line}`,
      }),
    });
  }
  return rows;
};

const isAccountName = (cells: string[]): boolean =>
  (cells[0] ?? '') !== '' &&
  cells.slice(1).every((cell) => cell === '') &&
  !/^run date$/i.test(cells[0] ?? '');

export async function* parseFidelityCsv(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let columns: Columns | undefined;
  let footer = false;
  let titles = 0;
  for await (const batch of readCsvBatches(input, { textAfterQuote: 'keep' })) {
    const out: ParsedRow[] = [];
    for (const { line, cells, malformed } of batch) {
      if (cells.length === 0) {
        if (columns !== undefined) footer = true;
        continue;
      }
      if (footer || (columns !== undefined && /^date downloaded\b/i.test(cells[0] ?? ''))) {
        footer = true;
        out.push(skippedRow(line, 'FOOTER'));
        continue;
      }
      if (columns === undefined) {
        if ((cells[0] ?? '').toLowerCase() !== 'run date') {
          if (isAccountName(cells) && malformed !== true && ++titles <= 3) {
            out.push(skippedRow(line, 'TITLE'));
            continue;
          }
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
      if (malformed === true) {
        out.push({
          row: line,
          errors: [
            { row: line, field: 'row', message: 'is not valid CSV: text after the closing quote of a field' },
          ],
        });
      } else if (cells.length !== columns.width) out.push(raggedRow(line, cells.length, columns.width));
      else out.push(...readRow(cells, columns, line));
    }
    yield out;
  }
  if (columns === undefined) throw new ImportFileError('the file is empty: no Fidelity header row');
}
