/*
 * schwab-csv: Charles Schwab's transaction history CSV.
 * - Layouts: the current one, `"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm",
 *   "Amount"`, and the older one with a title line `"Transactions  for account XXXX-1234 as of …"` before
 *   the header, a trailing comma on every line and a `"Transactions Total"` line at the end.
 * - Dates `MM/DD/YYYY`; `01/05/2026 as of 01/02/2026` books on the as-of date. Money `$1,234.56`,
 *   `-$1,234.56`, `($1,234.56)`. Everything is USD. Options `AAPL 12/18/2026 200.00 C` → OPTION (OCC
 *   symbol, multiplier 100); other symbols → EQUITY (Schwab does not say ETF or fund).
 * - Actions: Buy, Buy to Open, Reinvest Shares → BUY; Sell, Sell to Close → SELL; Sell Short, Sell to
 *   Open → SELL_SHORT; Buy to Cover, Buy to Close → BUY_TO_COVER (Quantity, Price, Fees & Comm →
 *   fees). Dividend and capital-gain actions (Qualified Dividend, Cash Dividend, Non-Qualified Div,
 *   Special Dividend, Pr Yr …, Reinvest Dividend, Long/Short Term Cap Gain) → DIVIDEND; Bank/Credit/Bond
 *   Interest → INTEREST; NRA Tax Adj, NRA Withholding, Foreign Tax Paid → TAX; Service Fee, ADR Mgmt Fee,
 *   Misc Fees, Margin Interest → FEE (all of them: |Amount|). MoneyLink Transfer/Deposit, Wire Funds,
 *   Wire Received, Funds Received, Journal (cash) → DEPOSIT or WITHDRAWAL by the sign of Amount. Expired →
 *   EXPIRE. Fees are always in USD, the trades' currency: no conversion arises.
 * - Skipped as UNSUPPORTED (with a detail): Stock Split (Schwab gives the added shares, not the ratio),
 *   Cash In Lieu, security journals and transfers, assignments/exercises, mergers and spin-offs, and tax
 *   refunds/dividend reversals (positive TAX, negative DIVIDEND). Skipped: title, header, Transactions
 *   Total. An action not listed here is a row error.
 * - File errors: no header with Date, Action, Symbol, Quantity, Price, Amount and Fees & Comm.
 */
import type { TradeType } from '@kupala/trade-model';
import { activityQuantity, activityTradeRow, equityOrOption, refundOrReversal } from './activity-rows';
import { readCsvBatches } from './csv-lines';
import { readUsDate } from './dates';
import { parseSchwabOptionSymbol } from './option-symbols';
import { RowDraft, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

const CURRENCY = 'USD';

type Rule = TradeType | 'BY_SIGN' | { skip: string };

const SECURITY_JOURNAL = {
  skip: 'security transfers and journals carry no price; book them as TRANSFER_IN/OUT by hand',
};
const CORPORATE_ACTION = { skip: 'corporate actions are not imported; book them by hand' };

const ACTIONS: Record<string, Rule> = {
  buy: 'BUY',
  'buy to open': 'BUY',
  'reinvest shares': 'BUY',
  sell: 'SELL',
  'sell to close': 'SELL',
  'sell short': 'SELL_SHORT',
  'sell to open': 'SELL_SHORT',
  'buy to cover': 'BUY_TO_COVER',
  'buy to close': 'BUY_TO_COVER',
  'qualified dividend': 'DIVIDEND',
  'cash dividend': 'DIVIDEND',
  'non-qualified div': 'DIVIDEND',
  'special dividend': 'DIVIDEND',
  'special qual div': 'DIVIDEND',
  'pr yr cash div': 'DIVIDEND',
  'pr yr div reinvest': 'DIVIDEND',
  'pr yr non-qual div': 'DIVIDEND',
  'qual div reinvest': 'DIVIDEND',
  'reinvest dividend': 'DIVIDEND',
  'long term cap gain': 'DIVIDEND',
  'short term cap gain': 'DIVIDEND',
  'bank interest': 'INTEREST',
  'credit interest': 'INTEREST',
  'bond interest': 'INTEREST',
  'nra tax adj': 'TAX',
  'nra withholding': 'TAX',
  'foreign tax paid': 'TAX',
  'service fee': 'FEE',
  'adr mgmt fee': 'FEE',
  'misc fees': 'FEE',
  'margin interest': 'FEE',
  'moneylink transfer': 'BY_SIGN',
  'moneylink deposit': 'BY_SIGN',
  'wire funds': 'BY_SIGN',
  'wire received': 'BY_SIGN',
  'wire sent': 'BY_SIGN',
  'funds received': 'BY_SIGN',
  journal: 'BY_SIGN',
  expired: 'EXPIRE',
  'stock split': {
    skip: 'Schwab reports the added shares, not the ratio; book the SPLIT with its ratio by hand',
  },
  'cash in lieu': { skip: 'cash in lieu of fractional shares is not imported; book it by hand' },
  'journaled shares': SECURITY_JOURNAL,
  'security transfer': SECURITY_JOURNAL,
  assigned: CORPORATE_ACTION,
  'exchange or exercise': CORPORATE_ACTION,
  'stock merger': CORPORATE_ACTION,
  'spin-off': CORPORATE_ACTION,
};

const REQUIRED = ['Date', 'Action', 'Symbol', 'Quantity', 'Price', 'Amount'];
const FEES_COLUMNS = ['Fees & Comm', 'Commission'];

interface Columns {
  date: number;
  action: number;
  symbol: number;
  quantity: number;
  price: number;
  fees: number;
  amount: number;
}

const columnsOf = (cells: string[], line: number): Columns => {
  const at = (names: string[]) =>
    cells.findIndex((cell) => names.some((name) => cell.toLowerCase() === name.toLowerCase()));
  const missing = [
    ...REQUIRED.filter((name) => at([name]) < 0),
    ...(at(FEES_COLUMNS) < 0 ? ['Fees & Comm'] : []),
  ];
  if (missing.length > 0) {
    throw new ImportFileError(
      `not a Schwab transactions CSV: the header lacks ${missing.map((name) => `"${name}"`).join(', ')}`,
      {
        line,
      },
    );
  }
  return {
    date: at(['Date']),
    action: at(['Action']),
    symbol: at(['Symbol']),
    quantity: at(['Quantity']),
    price: at(['Price']),
    fees: at(FEES_COLUMNS),
    amount: at(['Amount']),
  };
};

const AS_OF = /^(.*?)\s+as of\s+(.*)$/i;

const readRow = (cells: string[], columns: Columns, line: number): ParsedRow => {
  const cell = (position: number) => {
    const value = cells[position];
    return value === undefined || value === '' ? undefined : value;
  };
  const draft = new RowDraft(line);
  const action = cell(columns.action) ?? '';
  const rule = ACTIONS[action.toLowerCase().replace(/\s+/g, ' ')];
  if (rule === undefined) {
    draft.fail('type', `Schwab action "${action}" is not known`);
    return draft.failed();
  }
  if (typeof rule === 'object') return skippedRow(line, 'UNSUPPORTED', `"${action}": ${rule.skip}`);

  const rawDate = cell(columns.date) ?? '';
  const asOf = AS_OF.exec(rawDate);
  const tradeDate = draft.date('tradeDate', asOf?.[2] ?? rawDate, 'Date', readUsDate);
  if (tradeDate === undefined && draft.errors.length === 0)
    draft.fail('tradeDate', 'is required (column "Date" is empty)');

  const amount = draft.number('amount', cell(columns.amount), 'Amount');
  let type: TradeType;
  if (rule === 'BY_SIGN') type = amount?.negative === true ? 'WITHDRAWAL' : 'DEPOSIT';
  else type = rule;
  const reversal = refundOrReversal(line, type, amount, action, cell(columns.amount));
  if (reversal !== undefined) return reversal;

  const rawSymbol = cell(columns.symbol);
  const option = rawSymbol === undefined ? undefined : parseSchwabOptionSymbol(rawSymbol);
  const instrument = equityOrOption(draft, type, action, rawSymbol, option, CURRENCY);
  const quantity = activityQuantity(draft, type, cell(columns.quantity));
  return activityTradeRow(draft, {
    type,
    instrument,
    quantity,
    amount,
    currency: CURRENCY,
    tradeDate,
    price: { raw: cell(columns.price), column: 'Price' },
    fees: () => draft.magnitude('fees', cell(columns.fees), 'Fees & Comm', 'allowed'),
  });
};

export async function* parseSchwabCsv(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let columns: Columns | undefined;
  for await (const batch of readCsvBatches(input)) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) continue;
      const first = cells[0] ?? '';
      if (columns === undefined) {
        if (/^transactions\s/i.test(first) && cells.slice(1).every((cell) => cell === '')) {
          out.push(skippedRow(line, 'TITLE'));
          continue;
        }
        columns = columnsOf(cells, line);
        out.push(skippedRow(line, 'HEADER'));
      } else if (/^transactions total$/i.test(first)) out.push(skippedRow(line, 'TOTAL'));
      else out.push(readRow(cells, columns, line));
    }
    yield out;
  }
  if (columns === undefined) throw new ImportFileError('the file is empty: no Schwab header row');
}
