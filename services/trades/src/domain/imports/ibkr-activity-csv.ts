/*
 * ibkr-activity-csv: the Interactive Brokers activity statement exported as CSV. Every line starts with
 * its section ("Statement", "Trades", "Dividends", …) and a line kind (Header, Data, SubTotal, Total),
 * e.g. `Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:31:02",10,190.5,…`. Columns are read by the
 * names of the section's latest Header line (a section may repeat its header with other columns, as the
 * Forex block does). A Data line with fewer or more cells than its header is a row error ("N cells,
 * header has M"), nothing of it read.
 * - Trades: Data lines whose DataDiscriminator is Order or Trade (or that have none). A statement
 *   exported with execution detail follows each Order line with its Trade (execution) lines: then the
 *   executions are booked and the Order is skipped (ORDER_SUMMARY) — never both; executions that do not
 *   add up to their order's quantity are a row error on the order. Asset Category Stocks → EQUITY, Equity
 *   and Index Options / Options On Futures → OPTION, Futures → FUTURE, Forex → FX, Bonds → BOND, Mutual
 *   Funds → FUND, Crypto → CRYPTO; others are row errors. Quantity (negative for sells) → magnitude with
 *   BUY/SELL; Code O on a sell → SELL_SHORT, C on a buy → BUY_TO_COVER, Ep → EXPIRE, Ca (cancelled) → row
 *   error. T. Price → price; Date/Time → tradeDate. |Proceeds| must equal quantity × price × multiplier
 *   within the rounding of the figures as written (plus 0.5%), else a row error. Options
 *   ("AAPL 18DEC26 200 C") get their terms from the symbol and their multiplier from the statement's Financial Instrument
 *   Information section (default 100); futures need that section for expiry and multiplier. Because that
 *   section comes after Trades, option and future lines are held back and yielded at the end of the file
 *   (still with their own line numbers).
 * - Fees: |Comm/Fee| in the trade's currency (none when 0). A block whose header says "Comm in USD" charges
 *   in that currency; the statement gives no rate, so a commission in another currency than the trade's is
 *   a separate FEE trade in the commission's currency.
 * - Cash sections (Currency, Date or Settle Date, Description, Amount), each row in its own currency:
 *   Deposits & Withdrawals → DEPOSIT or WITHDRAWAL by sign; Dividends, Payment In Lieu Of Dividends →
 *   DIVIDEND; Withholding Tax, 871(m) Withholding → TAX; Interest, Broker Interest Received/Paid, Bond
 *   Interest Received/Paid → INTEREST (positive) or FEE (negative: debit interest); Fees, Other Fees,
 *   Transaction Fees, Advisor Fees → FEE. The dividend's and the tax's instrument is the security the
 *   description starts with, `PEP(US7134481081) Cash Dividend …` → EQUITY PEP with its ISIN (a dividend
 *   whose description names none is a row error; a tax without one, e.g. on interest, has no instrument).
 *   A refund or reversal (a positive withholding tax or fee, a negative dividend) is netted with the
 *   charge it undoes (netting.ts). Total lines (kind Total/SubTotal, or a Currency cell "Total…") are
 *   skipped as TOTAL/SUBTOTAL.
 * - Corporate Actions: a split ("AAPL(US0378331005) Split 4 for 1 (…)") → SPLIT with the ratio its
 *   description gives, booked once for all its legs (corporate-actions.ts); other actions UNSUPPORTED.
 * - Skipped: Header lines (HEADER), ClosedLot lines (CLOSED_LOT), and every line of a section not read
 *   (OTHER_SECTION, its detail naming the section). No broker ids: fingerprints are content hashes.
 * - File errors: a first line that is not `<Section>,Header,…`; IBKR's "Transaction History" report (a
 *   Statement Title or a section of that name), which is another layout: export the Activity Statement or
 *   a Flex query; a statement with no Trades and no cash section that does not call itself an Activity
 *   Statement (the message lists the sections found); a Data line before its section's Header; a Trades
 *   header missing a required column.
 */
import { Decimal, type TradeType } from '@kupala/trade-model';
import { IbkrCorporateActions } from './corporate-actions';
import { readCsvBatches } from './csv-lines';
import { readIbkrDate } from './dates';
import { parseDecimalText } from './decimal-text';
import { bookFee, separateFeeRow } from './foreign-fees';
import { crossCheckExecution, ibkrExecutionMembers, ibkrTradeType } from './ibkr-records';
import { optionInstrument, parseIbkrActivityOptionSymbol } from './option-symbols';
import { compact, RowDraft, raggedRow, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

type Row = Map<string, string>;

interface TradesHeader {
  names: string[];
  /** From a "Comm in USD" column: the commission's currency when it is not the trade's. */
  commissionCurrency?: string;
}

interface InstrumentFacts {
  multiplier?: string;
  expiry?: string;
}

type CashRule = TradeType | 'BY_SIGN' | 'INTEREST_BY_SIGN';

const TRADES = 'trades';
const INSTRUMENT_INFO = 'financial instrument information';
const TRANSACTION_HISTORY = 'transaction history';
const CORPORATE_ACTIONS = 'corporate actions';
const REQUIRED = ['assetcategory', 'currency', 'symbol', 'datetime', 'quantity', 'tprice'];
// Maps, not object literals: a cell such as "constructor" must find nothing.
const ASSET_CLASSES: ReadonlyMap<string, string> = new Map([
  ['stocks', 'EQUITY'],
  ['equity and index options', 'OPTION'],
  ['options on futures', 'OPTION'],
  ['futures', 'FUTURE'],
  ['forex', 'FX'],
  ['bonds', 'BOND'],
  ['mutual funds', 'FUND'],
  ['crypto', 'CRYPTO'],
  ['cryptocurrency', 'CRYPTO'],
]);
const CASH_SECTIONS: ReadonlyMap<string, CashRule> = new Map<string, CashRule>([
  ['deposits & withdrawals', 'BY_SIGN'],
  ['deposits and withdrawals', 'BY_SIGN'],
  ['dividends', 'DIVIDEND'],
  ['payment in lieu of dividends', 'DIVIDEND'],
  ['withholding tax', 'TAX'],
  ['871(m) withholding', 'TAX'],
  ['interest', 'INTEREST_BY_SIGN'],
  ['broker interest received', 'INTEREST_BY_SIGN'],
  ['broker interest paid', 'INTEREST_BY_SIGN'],
  ['bond interest received', 'INTEREST_BY_SIGN'],
  ['bond interest paid', 'INTEREST_BY_SIGN'],
  ['fees', 'FEE'],
  ['other fees', 'FEE'],
  ['transaction fees', 'FEE'],
  ['advisor fees', 'FEE'],
]);
const INCOMING: ReadonlySet<TradeType> = new Set(['DIVIDEND', 'INTEREST', 'DEPOSIT']);
// `PEP(US7134481081) Cash Dividend USD 1.075 per Share (Ordinary Dividend)`: the security comes first.
const SECURITY_IN_DESCRIPTION = /^\s*([A-Za-z0-9][A-Za-z0-9.\-/ ]{0,30}?)\s*\(([A-Z]{2}[A-Z0-9]{9}\d)\)/;

const columnName = (header: string): string => {
  if (/^comm in [a-z]{3}$/i.test(header.trim())) return 'commfee';
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
};

const rowOf = (names: string[], cells: string[]): Row => {
  const row: Row = new Map();
  names.forEach((name, position) => {
    const value = cells[position];
    if (value !== undefined && value !== '' && !row.has(name)) row.set(name, value);
  });
  return row;
};

const factsKey = (category: string, symbol: string) => `${category.toLowerCase()}|${symbol.toUpperCase()}`;

const codes = (value: string | undefined): Set<string> =>
  new Set((value ?? '').split(';').map((code) => code.trim().toUpperCase()));

const tradeRows = (
  row: Row,
  header: TradesHeader,
  line: number,
  facts: Map<string, InstrumentFacts>,
): ParsedRow[] => {
  const draft = new RowDraft(line);
  const category = row.get('assetcategory') ?? '';
  const assetClass = ASSET_CLASSES.get(category.toLowerCase());
  const symbol = row.get('symbol');
  const currency = row.get('currency')?.toUpperCase();
  const code = codes(row.get('code'));
  if (code.has('CA')) {
    draft.fail('type', 'a cancelled trade (code Ca) is not imported');
    return [draft.failed()];
  }
  const signed = draft.number('quantity', row.get('quantity'), 'Quantity');
  if (signed === undefined && draft.errors.length === 0) draft.fail('quantity', 'is required');
  const type = ibkrTradeType({
    expired: code.has('EP'),
    sells: signed?.negative === true,
    opens: code.has('O') && !code.has('C'),
    closes: code.has('C') && !code.has('O'),
  });

  let instrument: Record<string, unknown> | undefined;
  if (assetClass === undefined)
    draft.fail('instrument.assetClass', `Asset Category "${category.slice(0, 40)}" is not supported`);
  else if (symbol === undefined) draft.fail('instrument.symbol', 'is required');
  else if (assetClass === 'OPTION') {
    const terms = parseIbkrActivityOptionSymbol(symbol);
    const known = facts.get(factsKey(category, symbol));
    if (terms === undefined)
      draft.fail(
        'instrument.symbol',
        `"${symbol.slice(0, 40)}" is not an option symbol like "AAPL 18DEC26 200 C"`,
      );
    else instrument = optionInstrument(terms, currency ?? '', known?.multiplier ?? '100');
  } else if (assetClass === 'FUTURE') {
    const known = facts.get(factsKey(category, symbol));
    if (known?.expiry === undefined) {
      draft.fail(
        'instrument.expiry',
        `the statement's Financial Instrument Information does not list future "${symbol.slice(0, 40)}"`,
      );
    }
    instrument = compact({
      assetClass,
      symbol,
      currency,
      expiry: known?.expiry,
      multiplier: known?.multiplier,
    });
  } else instrument = { assetClass, symbol, currency };

  const tradeDate = draft.date('tradeDate', row.get('datetime'), 'Date/Time', readIbkrDate);
  const commission = draft.magnitude('fees', row.get('commfee'), 'Comm/Fee', 'allowed');
  const booking = bookFee(
    commission === undefined || !/[1-9]/.test(commission)
      ? undefined
      : { amount: commission, currency: header.commissionCurrency ?? currency ?? '' },
    { currency },
    undefined,
  );
  const members = ibkrExecutionMembers(draft, {
    type,
    instrument,
    quantity: signed,
    price: { raw: row.get('tprice'), column: 'T. Price' },
    currency,
    fees: booking.fees,
    tradeDate,
  });
  crossCheckExecution(draft, { type, quantity: signed, instrument }, members, {
    raw: row.get('proceeds'),
    column: 'Proceeds',
  });
  const rows = [draft.result(compact(members))];
  if (booking.separate !== undefined) {
    rows.push(
      separateFeeRow(
        { row: line },
        booking.separate,
        { tradeDate },
        undefined,
        `commission of the ${symbol} trade on line ${line}`,
      ),
    );
  }
  return rows;
};

/** One line of a cash section → its trade, a total, or a refund to net. */
const cashRow = (rule: CashRule, row: Row, line: number): ParsedRow => {
  const currencyCell = row.get('currency') ?? '';
  const draft = new RowDraft(line);
  const amount = draft.number('amount', row.get('amount'), 'Amount');
  if (amount === undefined) {
    if (draft.errors.length === 0) draft.fail('amount', 'is required');
    return draft.failed();
  }
  const type: TradeType =
    rule === 'BY_SIGN'
      ? amount.negative
        ? 'WITHDRAWAL'
        : 'DEPOSIT'
      : rule === 'INTEREST_BY_SIGN'
        ? amount.negative
          ? 'FEE'
          : 'INTEREST'
        : rule;
  const reverses = amount.negative === INCOMING.has(type) && /[1-9]/.test(amount.magnitude);
  const currency = currencyCell.toUpperCase();
  const description = row.get('description');
  const security = description === undefined ? null : SECURITY_IN_DESCRIPTION.exec(description);
  const instrument =
    (type === 'DIVIDEND' || type === 'TAX') && security !== null
      ? {
          assetClass: 'EQUITY',
          symbol: (security[1] ?? '').trim().toUpperCase(),
          currency,
          isin: security[2],
        }
      : undefined;
  if (type === 'DIVIDEND' && instrument === undefined) {
    draft.fail(
      'instrument.symbol',
      `the description ${description === undefined ? 'is empty' : `"${description.slice(0, 60)}"`}: it should start with the security, like "PEP(US7134481081) Cash Dividend …"`,
    );
  }
  const rawDate = row.get('date') ?? row.get('settledate') ?? row.get('datetime') ?? row.get('reportdate');
  const tradeDate = draft.date('tradeDate', rawDate, 'Date', readIbkrDate);
  if (rawDate === undefined) draft.fail('tradeDate', 'is required (no Date)');
  const parsed = draft.result(
    compact({
      type,
      instrument,
      amount: amount.magnitude,
      currency,
      tradeDate,
      note: description?.slice(0, 1000),
    }),
  );
  if (reverses) parsed.reverses = true;
  return parsed;
};

/** An Order line waiting to see whether execution lines follow it. */
interface PendingOrder {
  row: Row;
  header: TradesHeader;
  line: number;
  executed: Decimal;
  executions: number;
}

/** A line's Quantity as a signed decimal; undefined when blank or unreadable (the trade row reports that). */
const signedQuantity = (row: Row): Decimal | undefined => {
  const parsed = parseDecimalText(row.get('quantity') ?? '');
  if (parsed === undefined || !parsed.ok) return undefined;
  return parsed.negative ? new Decimal(parsed.magnitude).neg() : new Decimal(parsed.magnitude);
};

const isDerivative = (row: Row) => /option|future/i.test(row.get('assetcategory') ?? '');

export async function* parseIbkrActivityCsv(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let started = false;
  let tradesHeader: TradesHeader | undefined;
  let infoNames: string[] | undefined;
  let activityStatement = false;
  let readable = false;
  const sectionsSeen: string[] = [];
  const cashHeaders = new Map<string, string[]>();
  const facts = new Map<string, InstrumentFacts>();
  const heldBack: { row: Row; header: TradesHeader; line: number }[] = [];
  let order: PendingOrder | undefined;
  let corporateNames: string[] | undefined;
  const corporateActions = new IbkrCorporateActions();

  const book = (row: Row, header: TradesHeader, line: number, out: ParsedRow[]) => {
    if (isDerivative(row)) heldBack.push({ row, header, line });
    else out.push(...tradeRows(row, header, line, facts));
  };
  // An order without executions is the trade; one with executions is their summary.
  const settleOrder = (out: ParsedRow[]) => {
    const pending = order;
    order = undefined;
    if (pending === undefined) return;
    if (pending.executions === 0) {
      book(pending.row, pending.header, pending.line, out);
      return;
    }
    const ordered = signedQuantity(pending.row);
    if (ordered === undefined || !ordered.eq(pending.executed)) {
      out.push({
        row: pending.line,
        errors: [
          {
            row: pending.line,
            field: 'quantity',
            message: `the order's quantity ${ordered?.toFixed() ?? `"${(pending.row.get('quantity') ?? '').slice(0, 20)}"`} differs from its ${pending.executions} execution lines' total ${pending.executed.toFixed()}`,
          },
        ],
      });
    } else out.push(skippedRow(pending.line, 'ORDER_SUMMARY', 'its execution (Trade) lines are imported'));
  };

  for await (const batch of readCsvBatches(input)) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) continue;
      const sectionName = cells[0] ?? '';
      const section = sectionName.toLowerCase();
      const kind = (cells[1] ?? '').toLowerCase();
      if (!started) {
        started = true;
        if (section === '' || kind !== 'header') {
          throw new ImportFileError(
            'not an IBKR activity statement: the first line should be a section header such as "Statement,Header,Field Name,Field Value"',
            { line },
          );
        }
      }
      if (!sectionsSeen.includes(sectionName) && sectionsSeen.length < 50) sectionsSeen.push(sectionName);
      if (section !== TRADES || kind !== 'data') settleOrder(out);
      if (section === 'statement' && kind === 'data' && (cells[2] ?? '').toLowerCase() === 'title') {
        const title = (cells[3] ?? '').toLowerCase();
        if (title === TRANSACTION_HISTORY) {
          throw new ImportFileError(
            'this is an IBKR "Transaction History" report, not an activity statement: its layout is not read; export the Activity Statement as CSV (or use a Flex query)',
            { line },
          );
        }
        activityStatement ||= title.includes('activity');
      }
      if (section === TRANSACTION_HISTORY) {
        throw new ImportFileError(
          'a "Transaction History" section: this is IBKR\'s Transaction History report, not an activity statement; export the Activity Statement as CSV (or use a Flex query)',
          { line },
        );
      }
      if (section === INSTRUMENT_INFO) {
        if (kind === 'header') infoNames = cells.slice(2).map(columnName);
        else if (kind === 'data' && infoNames !== undefined) {
          const info = rowOf(infoNames, cells.slice(2));
          const symbol = info.get('symbol');
          const expiry = readIbkrDate(info.get('expiry') ?? '');
          if (symbol !== undefined) {
            facts.set(factsKey(info.get('assetcategory') ?? '', symbol), {
              ...(info.get('multiplier') === undefined
                ? {}
                : { multiplier: info.get('multiplier')?.replace(/,/g, '') }),
              ...(expiry?.ok ? { expiry: expiry.date } : {}),
            });
          }
        }
        out.push(skippedRow(line, 'OTHER_SECTION', `section "${sectionName}" is not imported`));
        continue;
      }
      if (section === CORPORATE_ACTIONS) {
        readable = true;
        if (kind === 'header') {
          corporateNames = cells.slice(2).map(columnName);
          out.push(skippedRow(line, 'HEADER'));
        } else if (kind !== 'data' || /^total\b/i.test(cells[2] ?? ''))
          out.push(skippedRow(line, kind === 'subtotal' ? 'SUBTOTAL' : 'TOTAL'));
        else if (corporateNames === undefined)
          throw new ImportFileError(`a ${sectionName} Data line before its Header line`, { line });
        else if (cells.length - 2 !== corporateNames.length)
          out.push(raggedRow(line, cells.length, corporateNames.length + 2));
        else {
          const row = rowOf(corporateNames, cells.slice(2));
          const dateColumn = row.has('datetime') ? 'datetime' : 'reportdate';
          out.push(
            corporateActions.row(
              {
                assetClass: ASSET_CLASSES.get((row.get('assetcategory') ?? '').toLowerCase()),
                currency: row.get('currency')?.toUpperCase(),
                description: row.get('description'),
                date: {
                  raw: row.get(dateColumn),
                  column: dateColumn === 'datetime' ? 'Date/Time' : 'Report Date',
                },
              },
              { row: line },
            ),
          );
        }
        continue;
      }
      const cashRule = CASH_SECTIONS.get(section);
      if (cashRule !== undefined) {
        readable = true;
        if (kind === 'header') {
          cashHeaders.set(section, cells.slice(2).map(columnName));
          out.push(skippedRow(line, 'HEADER'));
        } else if (kind === 'total' || kind === 'subtotal')
          out.push(skippedRow(line, kind === 'total' ? 'TOTAL' : 'SUBTOTAL'));
        else if (kind !== 'data')
          out.push(skippedRow(line, 'OTHER_SECTION', `"${sectionName}" lines of kind "${cells[1]}"`));
        else {
          const names = cashHeaders.get(section);
          if (names === undefined)
            throw new ImportFileError(`a ${sectionName} Data line before its Header line`, { line });
          // "Total", "Total in USD", "Total Dividends in USD" in the first column (Currency or Subtitle)
          if (/^total\b/i.test(cells[2] ?? '')) out.push(skippedRow(line, 'TOTAL', `${sectionName} total`));
          else if (cells.length - 2 !== names.length)
            out.push(raggedRow(line, cells.length, names.length + 2));
          else out.push(cashRow(cashRule, rowOf(names, cells.slice(2)), line));
        }
        continue;
      }
      if (section !== TRADES) {
        out.push(skippedRow(line, 'OTHER_SECTION', `section "${sectionName}" is not imported`));
        continue;
      }
      readable = true;
      if (kind === 'header') {
        const headerCells = cells.slice(2);
        const names = headerCells.map(columnName);
        const missing = REQUIRED.filter((name) => !names.includes(name));
        if (missing.length > 0)
          throw new ImportFileError(`the Trades header lacks ${missing.join(', ')}`, { line });
        const commissionIn = headerCells
          .map((name) => /^comm in ([a-z]{3})$/i.exec(name.trim())?.[1])
          .find(Boolean);
        tradesHeader = {
          names,
          ...(commissionIn === undefined ? {} : { commissionCurrency: commissionIn.toUpperCase() }),
        };
        out.push(skippedRow(line, 'HEADER'));
        continue;
      }
      if (kind === 'subtotal') {
        out.push(skippedRow(line, 'SUBTOTAL'));
        continue;
      }
      if (kind === 'total') {
        out.push(skippedRow(line, 'TOTAL'));
        continue;
      }
      if (kind !== 'data') {
        out.push(skippedRow(line, 'OTHER_SECTION', `Trades lines of kind "${cells[1]}" are not imported`));
        continue;
      }
      if (tradesHeader === undefined)
        throw new ImportFileError('a Trades Data line before any Trades Header line', { line });
      if (cells.length - 2 !== tradesHeader.names.length) {
        out.push(raggedRow(line, cells.length, tradesHeader.names.length + 2));
        continue;
      }
      const row = rowOf(tradesHeader.names, cells.slice(2));
      const discriminator = (row.get('datadiscriminator') ?? 'order').toLowerCase();
      if (discriminator === 'closedlot') out.push(skippedRow(line, 'CLOSED_LOT'));
      else if (discriminator === 'order') {
        settleOrder(out);
        order = { row, header: tradesHeader, line, executed: new Decimal(0), executions: 0 };
      } else if (discriminator === 'trade') {
        if (order !== undefined) {
          const quantity = signedQuantity(row);
          if (quantity !== undefined) order.executed = order.executed.plus(quantity);
          order.executions++;
        }
        book(row, tradesHeader, line, out);
      } else {
        settleOrder(out);
        out.push(
          skippedRow(
            line,
            'UNSUPPORTED',
            `Trades lines of kind "${(row.get('datadiscriminator') ?? '').slice(0, 40)}" are not imported`,
          ),
        );
      }
    }
    yield out;
  }
  if (!started) throw new ImportFileError('the file is empty: no activity statement sections');
  const last: ParsedRow[] = [];
  settleOrder(last);
  if (!readable && !activityStatement) {
    throw new ImportFileError(
      `not an IBKR activity statement with trades or cash: no Trades, Deposits & Withdrawals, Dividends, Withholding Tax, Interest or Fees section; the file has ${sectionsSeen.map((name) => `"${name.slice(0, 40)}"`).join(', ')}`,
    );
  }
  for (const { row, header, line } of heldBack) last.push(...tradeRows(row, header, line, facts));
  yield last;
}
