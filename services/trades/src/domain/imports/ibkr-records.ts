/*
 * What an IBKR Flex record (an XML element's attributes or a Flex CSV row) becomes; shared by
 * ibkr-flex-xml.ts and ibkr-flex-csv.ts (and, for an execution's type and trade members, by
 * ibkr-activity-csv.ts). Field names are IBKR's published ones, compared without case
 * or punctuation, so the XML attribute `buySell` and the CSV header `Buy/Sell` are one field, and the
 * CSV's `CurrencyPrimary`/`AssetClass` are `currency`/`assetCategory`.
 *
 * Trades (level of detail EXECUTION, or none given):
 * - assetCategory STK → EQUITY (subCategory ETF → ETF), OPT/FOP → OPTION, FUT → FUTURE, CASH → FX,
 *   BOND, FUND, CRYPTO; other categories (CFD, WAR, IOPT, …) are row errors. Options take underlying,
 *   expiry, strike, putCall and multiplier (default 100) from their attributes, the OCC symbol for what
 *   is missing, and get the compact OCC code as symbol.
 * - buySell BUY/SELL with openCloseIndicator: SELL+O → SELL_SHORT, BUY+C → BUY_TO_COVER, otherwise
 *   BUY/SELL (also for "C;O", a trade that closes and reverses a position: booked as its closing side,
 *   SELL or BUY_TO_COVER; the excess beyond the open position is left to the lot engine). notes code
 *   "Ep" → EXPIRE. quantity (negative for sells) → magnitude; tradePrice → price; tradeDate;
 *   settleDateTarget → settleDate; fxRateToBase → fxRate; tradeID → externalId `ibkr:trade:<tradeID>`.
 * - Fees: |ibCommission| in ibCommissionCurrency plus |taxes| (trade currency). A commission in another
 *   currency than the trade's is converted at fxRateToBase when it is the portfolio's base currency,
 *   else booked as a separate FEE trade (externalId `ibkr:trade:<tradeID>:fee`). A positive commission
 *   (a rebate) is a row error; cancellations ("BUY (Ca.)") are row errors naming the original tradeID.
 * - Skipped: CLOSED_LOT rows, ORDER rows (aggregates of the executions that are imported),
 *   SYMBOL_SUMMARY/ASSET_SUMMARY rows.
 * Cash transactions (levelOfDetail DETAIL; SUMMARY rows are skipped as subtotals):
 * - Dividends, Payment In Lieu Of Dividends → DIVIDEND; Withholding Tax (and 871(m)) → TAX with the
 *   instrument; Broker/Bond Interest Received → INTEREST; Broker/Bond Interest Paid, Other Fees,
 *   Commission Adjustments, Advisor Fees → FEE; Deposits/Withdrawals → DEPOSIT or WITHDRAWAL by sign.
 *   amount → |amount|, dateTime (else reportDate) → tradeDate, settleDate, fxRateToBase → fxRate,
 *   description → note, transactionID → externalId `ibkr:cash:<transactionID>`.
 * - Reversals and refunds (a negative dividend, a positive withholding tax or fee) are netted with the
 *   charge they undo (netting.ts); every other type is skipped as UNSUPPORTED (with a detail).
 * - Executions are cross-checked: quantity × tradePrice × multiplier must equal |tradeMoney| (else
 *   |proceeds|) within the rounding of the figures as written (plus 0.5%), else a row error.
 */
import { canonicalDecimal, Decimal, type TradeType } from '@kupala/trade-model';
import { crossCheckAmount } from './amount-check';
import { readIbkrDate } from './dates';
import { bookFee, separateFeeRow } from './foreign-fees';
import { occSymbol, parseOccSymbol } from './option-symbols';
import { compact, RowDraft, type SignedDecimal, skippedRow } from './row-draft';
import type { ParsedRow } from './types';

/** An IBKR record with normalized field names (see `ibkrFieldName`). */
export type IbkrRecord = Map<string, string>;

// Maps, not object literals: a field or cell such as "constructor" must find nothing.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['currencyprimary', 'currency'],
  ['assetclass', 'assetcategory'],
  ['notescodes', 'notes'],
  ['clientaccountid', 'accountid'],
]);

/** `buySell`, `Buy/Sell`, `BUY_SELL` → `buysell`; the Flex CSV's own names mapped to the XML ones. */
export const ibkrFieldName = (name: string): string => {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return ALIASES.get(key) ?? key;
};

const ASSET_CLASSES: ReadonlyMap<string, string> = new Map([
  ['STK', 'EQUITY'],
  ['OPT', 'OPTION'],
  ['FOP', 'OPTION'],
  ['FUT', 'FUTURE'],
  ['CASH', 'FX'],
  ['BOND', 'BOND'],
  ['FUND', 'FUND'],
  ['CRYPTO', 'CRYPTO'],
]);
/** IBKR's assetCategory (STK, OPT, …) → the trade model's asset class; undefined when not read. */
export const ibkrAssetClass = (
  category: string | undefined,
  subCategory: string | undefined,
): string | undefined => {
  const mapped = category === undefined ? undefined : ASSET_CLASSES.get(category.toUpperCase());
  return mapped === 'EQUITY' && subCategory?.toUpperCase() === 'ETF' ? 'ETF' : mapped;
};

const PUT_CALL: ReadonlyMap<string, 'C' | 'P'> = new Map([
  ['C', 'C'],
  ['CALL', 'C'],
  ['P', 'P'],
  ['PUT', 'P'],
]);

interface Where {
  row: number;
  line?: number;
}

const field = (record: IbkrRecord, name: string): string | undefined => {
  const value = record.get(name);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

const codes = (value: string | undefined): Set<string> =>
  new Set(
    (value ?? '')
      .split(/[;,]/)
      .map((code) => code.trim().toUpperCase())
      .filter((code) => code !== ''),
  );

const instrumentOf = (
  record: IbkrRecord,
  draft: RowDraft,
  currency: string | undefined,
): Record<string, unknown> | undefined => {
  const category = field(record, 'assetcategory')?.toUpperCase();
  const symbol = field(record, 'symbol');
  if (category === undefined || symbol === undefined) {
    draft.fail(
      category === undefined ? 'instrument.assetClass' : 'instrument.symbol',
      'is required (IBKR assetCategory and symbol)',
    );
    return undefined;
  }
  const mapped = ASSET_CLASSES.get(category);
  if (mapped === undefined) {
    draft.fail('instrument.assetClass', `IBKR assetCategory "${category.slice(0, 40)}" is not supported`);
    return undefined;
  }
  const assetClass =
    mapped === 'EQUITY' && field(record, 'subcategory')?.toUpperCase() === 'ETF' ? 'ETF' : mapped;
  const positive = { contradicts: 'a contract term' };
  const multiplier = draft.magnitude(
    'instrument.multiplier',
    field(record, 'multiplier'),
    'multiplier',
    positive,
  );
  const expiry = draft.date('instrument.expiry', field(record, 'expiry'), 'expiry', readIbkrDate);
  const isin = field(record, 'isin')?.toUpperCase();
  const underlying = field(record, 'underlyingsymbol');
  if (assetClass !== 'OPTION') {
    return compact({
      assetClass,
      symbol,
      currency,
      isin,
      multiplier,
      underlying,
      expiry: assetClass === 'FUTURE' ? expiry : undefined,
    });
  }
  const occ = parseOccSymbol(symbol);
  const rawPutCall = field(record, 'putcall');
  const putCall = rawPutCall === undefined ? occ?.putCall : PUT_CALL.get(rawPutCall.toUpperCase());
  if (rawPutCall !== undefined && putCall === undefined)
    draft.fail('instrument.putCall', `"${rawPutCall}" in putCall is not C or P`);
  const strikeText = draft.magnitude('instrument.strike', field(record, 'strike'), 'strike', positive);
  const strike = strikeText === undefined ? occ?.strike : canonicalDecimal(strikeText);
  const terms = { underlying: underlying ?? occ?.underlying, expiry: expiry ?? occ?.expiry, strike, putCall };
  const { underlying: u, expiry: e, strike: k, putCall: pc } = terms;
  const code =
    occ !== undefined && u && e && k && pc
      ? occSymbol({ underlying: u, expiry: e, strike: k, putCall: pc })
      : undefined;
  return compact({
    assetClass,
    symbol: code ?? symbol.replace(/\s+/g, ' '),
    currency,
    isin,
    multiplier: multiplier ?? '100',
    ...terms,
  });
};

/** How an IBKR execution reads: each format says for itself which of its codes open or close. */
export interface IbkrDirection {
  expired: boolean;
  sells: boolean;
  opens: boolean;
  closes: boolean;
}

/** An expiry first; then a sell that opens is a short, a buy that closes a cover. */
export const ibkrTradeType = ({ expired, sells, opens, closes }: IbkrDirection): TradeType => {
  if (expired) return 'EXPIRE';
  if (sells) return opens ? 'SELL_SHORT' : 'SELL';
  return closes ? 'BUY_TO_COVER' : 'BUY';
};

/** What an IBKR execution says of its trade, read so far. */
export interface IbkrExecution {
  type: TradeType;
  instrument: Record<string, unknown> | undefined;
  quantity: SignedDecimal | undefined;
  price: { raw: string | undefined; column: string };
  currency: string | undefined;
  fees: string | undefined;
  tradeDate: string | undefined;
}

/** The trade members of an execution: the quantity's magnitude, and no price for an expiry (none is read). */
export const ibkrExecutionMembers = (draft: RowDraft, execution: IbkrExecution): Record<string, unknown> => ({
  type: execution.type,
  instrument: execution.instrument,
  quantity: execution.quantity?.magnitude,
  price:
    execution.type === 'EXPIRE'
      ? undefined
      : draft.magnitude('price', execution.price.raw, execution.price.column, { contradicts: 'a price' }),
  currency: execution.currency,
  fees: execution.fees,
  tradeDate: execution.tradeDate,
});

/**
 * An execution's quantity × price × multiplier against the money the broker says it moved (IBKR's
 * tradeMoney or Proceeds: without fees), within the rounding of the figures as written plus 0.5%
 * (amount-check.ts).
 */
export const crossCheckExecution = (
  draft: RowDraft,
  execution: Pick<IbkrExecution, 'type' | 'quantity' | 'instrument'>,
  members: Record<string, unknown>,
  money: { raw: string | undefined; column: string },
): void => {
  const multiplier = execution.instrument?.multiplier;
  crossCheckAmount(draft, {
    type: execution.type,
    quantity: execution.quantity?.magnitude,
    price: typeof members.price === 'string' ? members.price : undefined,
    multiplier: typeof multiplier === 'string' ? multiplier : '1',
    charges: [],
    amount: draft.number('price', money.raw, money.column),
    column: money.column,
    chargesIncluded: false,
  });
};

/** Commission plus transaction taxes; no fee at all when both are nil. */
const sumMagnitudes = (a: string | undefined, b: string | undefined): string | undefined => {
  const total = new Decimal(a ?? '0').plus(b ?? '0');
  if (total.eq(0)) return undefined;
  return b === undefined || new Decimal(b).eq(0) ? a : canonicalDecimal(total);
};

type LevelOfDetail = 'import' | ParsedRow['skipped'];

const tradeLevel = (record: IbkrRecord): LevelOfDetail => {
  const level = field(record, 'levelofdetail')?.toUpperCase();
  if (level === undefined || level === 'EXECUTION') return 'import';
  if (level === 'CLOSED_LOT') return 'CLOSED_LOT';
  if (level === 'ORDER') return 'ORDER_SUMMARY';
  return 'SUBTOTAL';
};

/** One Flex trade record → its trade (and a separate FEE when the commission is in another currency). */
export const ibkrTradeRows = (
  record: IbkrRecord,
  where: Where,
  baseCurrency: string | undefined,
): ParsedRow[] => {
  const level = tradeLevel(record);
  if (level !== 'import') return [skippedRow(where.row, level ?? 'SUBTOTAL', undefined, where.line)];
  const draft = new RowDraft(where.row);
  const buySell = field(record, 'buysell')?.toUpperCase();
  if (buySell?.includes('(CA.)')) {
    const original = field(record, 'origtradeid');
    draft.fail(
      'type',
      `a cancellation ("${buySell}") is not imported: cancel trade ${original ?? '(its original)'} in Kupala instead`,
    );
    return [draft.failed(where.line)];
  }
  const signed = draft.number('quantity', field(record, 'quantity'), 'quantity');
  const isSell = buySell === undefined ? signed?.negative === true : buySell.startsWith('SELL');
  const openClose = codes(field(record, 'opencloseindicator'));
  const notes = codes(field(record, 'notes'));
  const type = ibkrTradeType({
    expired: notes.has('EP'),
    sells: isSell,
    opens: openClose.has('O') && !openClose.has('C'),
    closes: openClose.has('C'),
  });

  const currency = field(record, 'currency')?.toUpperCase();
  const tradeDate =
    draft.date('tradeDate', field(record, 'tradedate'), 'tradeDate', readIbkrDate) ??
    draft.date('tradeDate', field(record, 'datetime'), 'dateTime', readIbkrDate);
  const settleDate = draft.date(
    'settleDate',
    field(record, 'settledatetarget'),
    'settleDateTarget',
    readIbkrDate,
  );
  const fxRate = draft.magnitude('fxRate', field(record, 'fxratetobase'), 'fxRateToBase', {
    contradicts: 'a rate',
  });
  const commission = draft.number('fees', field(record, 'ibcommission'), 'ibCommission');
  if (commission !== undefined && !commission.negative && new Decimal(commission.magnitude).gt(0)) {
    draft.fail(
      'fees',
      `ibCommission ${commission.magnitude} is positive (a rebate), which cannot be booked as a fee`,
    );
  }
  const commissionCurrency = field(record, 'ibcommissioncurrency')?.toUpperCase() ?? currency;
  const taxes = draft.number('fees', field(record, 'taxes'), 'taxes');
  const booking = bookFee(
    commission === undefined || commissionCurrency === undefined
      ? undefined
      : { amount: commission.magnitude, currency: commissionCurrency },
    { currency, fxRate },
    baseCurrency,
  );
  const fees = sumMagnitudes(booking.fees, taxes?.magnitude);
  const tradeId = field(record, 'tradeid');
  const externalId = tradeId === undefined ? undefined : `ibkr:trade:${tradeId}`;
  const instrument = instrumentOf(record, draft, currency);
  const members = ibkrExecutionMembers(draft, {
    type,
    instrument,
    quantity: signed,
    price: { raw: field(record, 'tradeprice'), column: 'tradePrice' },
    currency,
    fees,
    tradeDate,
  });
  const tradeMoney = field(record, 'trademoney');
  crossCheckExecution(
    draft,
    { type, quantity: signed, instrument },
    members,
    tradeMoney === undefined
      ? { raw: field(record, 'proceeds'), column: 'proceeds' }
      : { raw: tradeMoney, column: 'tradeMoney' },
  );
  const candidate = compact({ ...members, settleDate, fxRate, externalId });
  if (signed === undefined) draft.fail('quantity', 'is required');
  const rows = [draft.result(candidate, where.line)];
  if (booking.separate !== undefined) {
    const what = `commission of IBKR trade ${tradeId ?? `on row ${where.row}`}`;
    rows.push(separateFeeRow(where, booking.separate, { tradeDate, settleDate }, externalId, what));
  }
  return rows;
};

type CashRule =
  | { type: 'DIVIDEND' | 'TAX' | 'INTEREST' | 'FEE'; sign: 'positive' | 'negative' }
  | { type: 'BY_SIGN' };

const CASH_TYPES: ReadonlyMap<string, CashRule> = new Map<string, CashRule>([
  ['dividends', { type: 'DIVIDEND', sign: 'positive' }],
  ['payment in lieu of dividends', { type: 'DIVIDEND', sign: 'positive' }],
  ['withholding tax', { type: 'TAX', sign: 'negative' }],
  ['871(m) withholding', { type: 'TAX', sign: 'negative' }],
  ['broker interest received', { type: 'INTEREST', sign: 'positive' }],
  ['bond interest received', { type: 'INTEREST', sign: 'positive' }],
  ['broker interest paid', { type: 'FEE', sign: 'negative' }],
  ['bond interest paid', { type: 'FEE', sign: 'negative' }],
  ['other fees', { type: 'FEE', sign: 'negative' }],
  ['commission adjustments', { type: 'FEE', sign: 'negative' }],
  ['advisor fees', { type: 'FEE', sign: 'negative' }],
  ['deposits/withdrawals', { type: 'BY_SIGN' }],
  ['deposits & withdrawals', { type: 'BY_SIGN' }],
  ['deposits and withdrawals', { type: 'BY_SIGN' }],
]);

/** One Flex cash transaction record → a DIVIDEND, TAX, INTEREST, FEE, DEPOSIT or WITHDRAWAL, or a skip. */
export const ibkrCashRow = (record: IbkrRecord, where: Where): ParsedRow => {
  if (field(record, 'levelofdetail')?.toUpperCase() === 'SUMMARY') {
    return skippedRow(where.row, 'SUBTOTAL', undefined, where.line);
  }
  const draft = new RowDraft(where.row);
  const rawType = field(record, 'type') ?? '';
  const rule = CASH_TYPES.get(rawType.toLowerCase().replace(/\s+/g, ' '));
  if (rule === undefined) {
    return skippedRow(
      where.row,
      'UNSUPPORTED',
      `IBKR cash transaction type "${rawType.slice(0, 40)}" is not imported`,
      where.line,
    );
  }
  const amount = draft.number('amount', field(record, 'amount'), 'amount');
  if (amount === undefined) {
    if (draft.errors.length === 0) draft.fail('amount', 'is required');
    return draft.failed(where.line);
  }
  const type = rule.type === 'BY_SIGN' ? (amount.negative ? 'WITHDRAWAL' : 'DEPOSIT') : rule.type;
  // a refund or reversal: netted with the charge it undoes (netting.ts)
  const reverses =
    rule.type !== 'BY_SIGN' &&
    amount.negative !== (rule.sign === 'negative') &&
    /[1-9]/.test(amount.magnitude);
  const currency = field(record, 'currency')?.toUpperCase();
  const hasInstrument = field(record, 'symbol') !== undefined && field(record, 'assetcategory') !== undefined;
  const instrument =
    type === 'DIVIDEND' || (hasInstrument && type === 'TAX')
      ? instrumentOf(record, draft, currency)
      : undefined;
  const tradeDate =
    draft.date('tradeDate', field(record, 'datetime'), 'dateTime', readIbkrDate) ??
    draft.date('tradeDate', field(record, 'reportdate'), 'reportDate', readIbkrDate);
  const transactionId = field(record, 'transactionid');
  const parsed = draft.result(
    compact({
      type,
      instrument,
      amount: amount.magnitude,
      currency,
      tradeDate,
      settleDate: draft.date('settleDate', field(record, 'settledate'), 'settleDate', readIbkrDate),
      fxRate: draft.magnitude('fxRate', field(record, 'fxratetobase'), 'fxRateToBase', {
        contradicts: 'a rate',
      }),
      externalId: transactionId === undefined ? undefined : `ibkr:cash:${transactionId}`,
      note: field(record, 'description')?.slice(0, 1000),
    }),
    where.line,
  );
  if (reverses) parsed.reverses = true;
  return parsed;
};
