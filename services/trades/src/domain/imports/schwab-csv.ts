/*
 * schwab-csv: Charles Schwab's transaction history CSV.
 * - Layouts: the current one, `"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm",
 *   "Amount"`, and the older one with a title line `"Transactions  for account XXXX-1234 as of …"` before
 *   the header, a trailing comma on lines (one extra empty cell is accepted) and a `"Transactions Total"`
 *   line at the end. Any other row with fewer or more cells than the header is a row error ("N cells,
 *   header has M"), nothing of it read.
 * - Dates `MM/DD/YYYY`; `01/05/2026 as of 01/02/2026` books on the as-of date. Money `$1,234.56`,
 *   `-$1,234.56`, `($1,234.56)`. Everything is USD. Options `AAPL 12/18/2026 200.00 C` → OPTION (OCC
 *   symbol, multiplier 100); other symbols → EQUITY (Schwab does not say ETF or fund).
 * - Trades: Buy, Buy to Open, Reinvest Shares → BUY; Sell, Sell to Close → SELL; Sell Short, Sell to
 *   Open → SELL_SHORT; Buy to Cover, Buy to Close → BUY_TO_COVER (Quantity, Price, Fees & Comm → fees);
 *   Quantity × Price × multiplier ± fees must equal |Amount| within the rounding of the figures, else a
 *   row error. Expired, Assigned, Exchange or Exercise (an option closed at 0; the stock leg is its own
 *   Buy/Sell row) → EXPIRE.
 * - Cash (|Amount|): every dividend and capital-gain distribution (Qualified Dividend, Cash Dividend,
 *   Non-Qualified Div, Special (Non) Qual Div, Pr Yr …, … Reinvest, Long/Short Term Cap Gain (Reinvest),
 *   Div Adjustment) → DIVIDEND, or INTEREST when the row names no security (a money fund's dividend);
 *   Bank/Credit/Bond Interest, Interest Adj → INTEREST; NRA Tax Adj, NRA Withholding, Foreign Tax Paid,
 *   Foreign Tax Reclaim → TAX; Service Fee, ADR Mgmt Fee, Misc Fees, Advisor Fee, Margin Interest, Wire
 *   Funds Adj → FEE; MoneyLink Transfer/Deposit, Wire Funds/Sent/Received, Funds Received/Paid, Journal,
 *   Internal Transfer, Bank Transfer, Auto S1 Credit/Debit → DEPOSIT or WITHDRAWAL by the sign of Amount.
 *   A refund or reversal (a positive TAX or FEE, a negative DIVIDEND) is netted with the charge it undoes
 *   (netting.ts). Fees are always in USD, the trades' currency: no conversion arises.
 * - Splits: Stock Split and Stock Div Dist give the shares added, Reverse Split (its positive row) the
 *   shares after; the SPLIT's ratio comes from the shares held the day before: the portfolio's trades of
 *   the symbol dated before the file's first row, plus the file's own rows up to then. No holding, or no
 *   simple ratio (p/q, q ≤ 50, allowing a fraction paid as cash in lieu): a row error saying so. Split
 *   rows are handed on at the end of the file (they need every earlier row, and Schwab lists newest first).
 * - Skipped as NON_ECONOMIC: Name Change, the old-security row (negative quantity) of a Reverse Split.
 *   Skipped as UNSUPPORTED (with a detail; book by hand): Cash In Lieu, Journaled Shares, Security
 *   Transfer, Stock Merger, Cash Merger, Spin-off, Conversion, redemptions and reorganizations. Skipped:
 *   title, header, Transactions Total. An action not listed here is a row error.
 * - File errors: no header with Date, Action, Symbol, Quantity, Price, Amount and Fees & Comm.
 */
import { Decimal, type TradeType } from '@kupala/trade-model';
import { activityQuantity, activityTradeRow, equityOrOption, isRefundOrReversal } from './activity-rows';
import { readCsvBatches } from './csv-lines';
import { readUsDate } from './dates';
import { type PositionEvent, quantityHeldBefore, splitRatio } from './holdings';
import { parseSchwabOptionSymbol } from './option-symbols';
import { RowDraft, raggedRow, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

const CURRENCY = 'USD';

type Rule =
  | TradeType
  | 'BY_SIGN'
  | 'SPLIT_ADDS'
  | 'SPLIT_TO'
  | { skip: 'UNSUPPORTED' | 'NON_ECONOMIC'; why: string };

const SECURITY_JOURNAL = {
  skip: 'UNSUPPORTED',
  why: 'security transfers and journals carry no price; book them as TRANSFER_IN/OUT by hand',
} as const;
const CORPORATE_ACTION = {
  skip: 'UNSUPPORTED',
  why: 'this corporate action changes holdings in a way a row does not say; book it by hand',
} as const;

const rules = (type: Rule, actions: string[]): [string, Rule][] => actions.map((action) => [action, type]);

// A Map, not an object literal: an action such as "constructor" must be unknown, not Object.prototype's.
const ACTIONS: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ...rules('BUY', ['buy', 'buy to open', 'reinvest shares']),
  ...rules('SELL', ['sell', 'sell to close']),
  ...rules('SELL_SHORT', ['sell short', 'sell to open']),
  ...rules('BUY_TO_COVER', ['buy to cover', 'buy to close']),
  ...rules('DIVIDEND', [
    'qualified dividend',
    'cash dividend',
    'dividend',
    'non-qualified div',
    'non qualified div',
    'special dividend',
    'special qual div',
    'special non qual div',
    'pr yr cash div',
    'pr yr div reinvest',
    'pr yr non-qual div',
    'pr yr non qual div',
    'pr yr special div',
    'qual div reinvest',
    'qualified dividend reinvest',
    'non-qual div reinvest',
    'reinvest dividend',
    'div adjustment',
    'long term cap gain',
    'short term cap gain',
    'long term cap gain reinvest',
    'short term cap gain reinvest',
  ]),
  ...rules('INTEREST', ['bank interest', 'credit interest', 'bond interest', 'interest adj']),
  ...rules('TAX', ['nra tax adj', 'nra withholding', 'foreign tax paid', 'foreign tax reclaim']),
  ...rules('FEE', [
    'service fee',
    'adr mgmt fee',
    'misc fees',
    'advisor fee',
    'margin interest',
    'wire funds adj',
  ]),
  ...rules('BY_SIGN', [
    'moneylink transfer',
    'moneylink deposit',
    'wire funds',
    'wire received',
    'wire sent',
    'funds received',
    'funds paid',
    'journal',
    'internal transfer',
    'bank transfer',
    'auto s1 credit',
    'auto s1 debit',
  ]),
  ...rules('EXPIRE', ['expired', 'assigned', 'exchange or exercise']),
  ...rules('SPLIT_ADDS', ['stock split', 'stock div dist']),
  ...rules('SPLIT_TO', ['reverse split']),
  ['name change', { skip: 'NON_ECONOMIC', why: 'a new name or symbol for the same holding moves no cash' }],
  [
    'cash in lieu',
    {
      skip: 'UNSUPPORTED',
      why: 'cash in lieu of a fractional share sells a fraction at no stated price; book it by hand',
    },
  ],
  ...rules(SECURITY_JOURNAL, ['journaled shares', 'security transfer']),
  ...rules(CORPORATE_ACTION, [
    'stock merger',
    'cash merger',
    'cash merger adj',
    'spin-off',
    'conversion',
    'full redemption',
    'full redemption adj',
    'partial redemption',
    'mandatory reorg exc',
    'principal payment',
  ]),
]);

const REQUIRED = ['Date', 'Action', 'Symbol', 'Quantity', 'Price', 'Amount'];
const FEES_COLUMNS = ['Fees & Comm', 'Commission'];

interface Columns {
  width: number;
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
  // the older layout ends its header with a comma too: that empty last cell is not a column
  const width = cells.at(-1) === '' ? cells.length - 1 : cells.length;
  return {
    width,
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

/** A split row waiting for the end of the file, when every row before its date is known. */
interface PendingSplit {
  line: number;
  symbol: string;
  action: string;
  tradeDate: string;
  /** Shares added (Stock Split, Stock Div Dist) or held after (Reverse Split). */
  shares: Decimal;
  sharesAre: 'added' | 'after';
}

/** What reading the rows keeps for the splits: each symbol's trades, and the file's first date. */
class FileHoldings {
  readonly events = new Map<string, PositionEvent[]>();
  firstDate: string | undefined;

  seeDate(date: string | undefined): void {
    if (date !== undefined && (this.firstDate === undefined || date < this.firstDate)) this.firstDate = date;
  }

  seeTrade(candidate: Record<string, unknown> | undefined): void {
    const instrument = candidate?.instrument as Record<string, unknown> | undefined;
    if (
      candidate === undefined ||
      typeof instrument?.symbol !== 'string' ||
      instrument.assetClass !== 'EQUITY'
    )
      return;
    const { type, tradeDate, quantity, ratio } = candidate;
    if (typeof type !== 'string' || typeof tradeDate !== 'string') return;
    const event: PositionEvent = { type, tradeDate };
    if (typeof quantity === 'string') event.quantity = quantity;
    if (typeof ratio === 'string') event.ratio = ratio;
    const symbol = instrument.symbol.toUpperCase();
    const list = this.events.get(symbol) ?? [];
    list.push(event);
    this.events.set(symbol, list);
  }
}

const cellOf = (cells: string[], position: number): string | undefined => {
  const value = cells[position];
  return value === undefined || value === '' ? undefined : value;
};

const readRow = (
  cells: string[],
  columns: Columns,
  line: number,
  holdings: FileHoldings,
): ParsedRow | PendingSplit => {
  const cell = (position: number) => cellOf(cells, position);
  const draft = new RowDraft(line);
  const action = cell(columns.action) ?? '';
  const rule = ACTIONS.get(action.toLowerCase().replace(/\s+/g, ' '));
  if (rule === undefined) {
    draft.fail('type', `Schwab action "${action.slice(0, 40)}" is not known`);
    return draft.failed();
  }
  if (typeof rule === 'object') return skippedRow(line, rule.skip, `"${action}": ${rule.why}`);

  const rawDate = cell(columns.date) ?? '';
  const asOf = AS_OF.exec(rawDate);
  const tradeDate = draft.date('tradeDate', asOf?.[2] ?? rawDate, 'Date', readUsDate);
  if (tradeDate === undefined && draft.errors.length === 0)
    draft.fail('tradeDate', 'is required (column "Date" is empty)');
  holdings.seeDate(tradeDate);

  const rawSymbol = cell(columns.symbol);
  if (rule === 'SPLIT_ADDS' || rule === 'SPLIT_TO') {
    const shares = draft.number('quantity', cell(columns.quantity), 'Quantity');
    if (rule === 'SPLIT_TO' && shares?.negative === true) {
      return skippedRow(
        line,
        'NON_ECONOMIC',
        `"${action}": the old security's shares, replaced by the split`,
      );
    }
    if (rawSymbol === undefined) draft.fail('instrument.symbol', `is required for "${action}"`);
    if (shares === undefined && draft.errors.length === 0)
      draft.fail('quantity', `is required for "${action}"`);
    if (shares?.negative === true)
      draft.fail('quantity', `"${cell(columns.quantity)}" is negative for "${action}"`);
    if (draft.errors.length > 0 || tradeDate === undefined || rawSymbol === undefined || shares === undefined)
      return draft.failed();
    return {
      line,
      symbol: rawSymbol.toUpperCase(),
      action,
      tradeDate,
      shares: new Decimal(shares.magnitude),
      sharesAre: rule === 'SPLIT_ADDS' ? 'added' : 'after',
    };
  }

  const amount = draft.number('amount', cell(columns.amount), 'Amount');
  let type: TradeType;
  if (rule === 'BY_SIGN') type = amount?.negative === true ? 'WITHDRAWAL' : 'DEPOSIT';
  else if (rule === 'DIVIDEND' && rawSymbol === undefined) type = 'INTEREST';
  else type = rule;
  const reverses = isRefundOrReversal(type, amount);

  const option = rawSymbol === undefined ? undefined : parseSchwabOptionSymbol(rawSymbol);
  const instrument = equityOrOption(draft, type, action, rawSymbol, option, CURRENCY);
  const quantity = activityQuantity(draft, type, cell(columns.quantity));
  const row = activityTradeRow(draft, {
    type,
    instrument,
    quantity,
    amount,
    amountColumn: 'Amount',
    currency: CURRENCY,
    tradeDate,
    price: { raw: cell(columns.price), column: 'Price' },
    fees: () => draft.magnitude('fees', cell(columns.fees), 'Fees & Comm', 'allowed'),
  });
  if (reverses) row.reverses = true;
  else if (row.errors.length === 0) holdings.seeTrade(row.candidate);
  return row;
};

const isPending = (value: ParsedRow | PendingSplit): value is PendingSplit => 'shares' in value;

/** The SPLIT of a held-back row, its ratio from the shares held the day before. */
const splitRow = async (
  split: PendingSplit,
  holdings: FileHoldings,
  options: ParseOptions,
): Promise<ParsedRow> => {
  const draft = new RowDraft(split.line);
  const firstDate = holdings.firstDate ?? split.tradeDate;
  const existing = options.existingTradesOf === undefined ? [] : await options.existingTradesOf(split.symbol);
  // the portfolio's trades before the file's period, then the file's own (a re-import counts nothing twice)
  const events = [
    ...existing.filter((event) => event.tradeDate < firstDate),
    ...(holdings.events.get(split.symbol) ?? []),
  ];
  const held = quantityHeldBefore(events, split.tradeDate);
  const after = split.sharesAre === 'added' ? held.plus(split.shares) : split.shares;
  const ratio = splitRatio(held, after);
  if ('problem' in ratio) {
    draft.fail(
      'ratio',
      `"${split.action}" of ${split.shares.toFixed()} ${split.symbol} shares ${split.sharesAre} on ${split.tradeDate}: ` +
        `${ratio.problem} (counted from this file and the portfolio's trades before ${firstDate})`,
    );
    return draft.failed();
  }
  const candidate = {
    type: 'SPLIT',
    instrument: { assetClass: 'EQUITY', symbol: split.symbol, currency: CURRENCY },
    ratio: ratio.ratio,
    currency: CURRENCY,
    tradeDate: split.tradeDate,
  };
  holdings.events.get(split.symbol)?.push({ type: 'SPLIT', tradeDate: split.tradeDate, ratio: ratio.ratio });
  return draft.result(candidate);
};

export async function* parseSchwabCsv(
  input: BrokerFileInput,
  options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let columns: Columns | undefined;
  const holdings = new FileHoldings();
  const splits: PendingSplit[] = [];
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
      else if (cells.length !== columns.width && !(cells.length === columns.width + 1 && cells.at(-1) === ''))
        out.push(raggedRow(line, cells.length, columns.width));
      else {
        const read = readRow(cells, columns, line, holdings);
        if (isPending(read)) splits.push(read);
        else out.push(read);
      }
    }
    yield out;
  }
  if (columns === undefined) throw new ImportFileError('the file is empty: no Schwab header row');
  splits.sort((a, b) => (a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : a.line - b.line));
  const rows: ParsedRow[] = [];
  for (const split of splits) rows.push(await splitRow(split, holdings, options));
  // in file order, like every other row
  yield rows.sort((a, b) => a.row - b.row);
}
