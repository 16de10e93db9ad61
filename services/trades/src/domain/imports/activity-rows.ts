import type { TradeType } from '@kupala/trade-model';
import { crossCheckAmount } from './amount-check';
import { readUsDate } from './dates';
import { type OptionTerms, optionInstrument } from './option-symbols';
import { compact, type RowDraft, type SignedDecimal } from './row-draft';
import { TRADE_SHAPES } from './trade-shapes';
import type { ParsedRow } from './types';

/*
 * What the "account activity" layouts of US brokers (Schwab, Fidelity) share: one signed Amount column
 * whose sign must agree with the type, and a Symbol column holding either a stock or an option.
 */

const OUTGOING_CASH: ReadonlySet<TradeType> = new Set(['TAX', 'FEE', 'WITHDRAWAL']);

/**
 * Whether a cash row's amount has the sign its type does not book (a positive TAX is a refund, a negative
 * DIVIDEND a reversal): the row is then netted with the charge it undoes (netting.ts).
 */
export const isRefundOrReversal = (type: TradeType, amount: SignedDecimal | undefined): boolean =>
  TRADE_SHAPES[type].amount &&
  amount !== undefined &&
  amount.negative !== OUTGOING_CASH.has(type) &&
  /[1-9]/.test(amount.magnitude);

/**
 * The row's instrument: an OPTION when the broker's option symbol parses, else an EQUITY (neither broker
 * says ETF or fund); an error on the draft when the type needs one and the Symbol cell is empty.
 */
export const equityOrOption = (
  draft: RowDraft,
  type: TradeType,
  action: string,
  symbol: string | undefined,
  option: OptionTerms | undefined,
  currency: string,
): Record<string, unknown> | undefined => {
  const instrument =
    symbol === undefined
      ? undefined
      : option !== undefined
        ? optionInstrument(option, currency)
        : { assetClass: 'EQUITY', symbol, currency };
  if (instrument === undefined && TRADE_SHAPES[type].instrument === 'required')
    draft.fail('instrument.symbol', `is required for "${action}"`);
  return instrument;
};

/** The Quantity cell: negative for sells (the type says so already), an error when it contradicts a buy. */
export const activityQuantity = (
  draft: RowDraft,
  type: TradeType,
  raw: string | undefined,
): SignedDecimal | undefined => {
  const quantity = draft.number('quantity', raw, 'Quantity');
  if (quantity?.negative === true && (type === 'BUY' || type === 'BUY_TO_COVER'))
    draft.fail('quantity', `"${raw}" in column "Quantity" is negative, which contradicts a ${type}`);
  return quantity;
};

/** A cell of the row with the name of its column, for the error messages. */
export interface ActivityCell {
  raw: string | undefined;
  column: string;
}

/** What a broker's row gives for its trade, read so far; the rest is read here, only if the type takes it. */
export interface ActivityTrade {
  type: TradeType;
  instrument: Record<string, unknown> | undefined;
  quantity: SignedDecimal | undefined;
  amount: SignedDecimal | undefined;
  /** The amount column's name, for the cross-check's message. */
  amountColumn: string;
  currency: string;
  tradeDate: string | undefined;
  price: ActivityCell;
  /** The row's fees, asked for only when the type takes a price. */
  fees: () => string | undefined;
  /** What else the Amount column includes beyond notional and fees (Fidelity's accrued interest). */
  otherCharges?: (string | undefined)[];
  /** Where the layout has a settlement date (MM/DD/YYYY). */
  settleDate?: ActivityCell;
}

/**
 * The row's result: each member the trade type takes, magnitudes only (the type gives the direction),
 * with quantity × price × multiplier ± fees cross-checked against the row's Amount.
 */
export const activityTradeRow = (draft: RowDraft, trade: ActivityTrade): ParsedRow => {
  const shape = TRADE_SHAPES[trade.type];
  const { price, settleDate } = trade;
  const unitPrice = shape.price
    ? draft.magnitude('price', price.raw, price.column, { contradicts: 'a price' })
    : undefined;
  const fees = shape.price ? trade.fees() : undefined;
  if (shape.price) {
    const multiplier = trade.instrument?.multiplier;
    crossCheckAmount(draft, {
      type: trade.type,
      quantity: trade.quantity?.magnitude,
      price: unitPrice,
      multiplier: typeof multiplier === 'string' ? multiplier : '1',
      charges: [fees, ...(trade.otherCharges ?? [])],
      amount: trade.amount,
      column: trade.amountColumn,
      chargesIncluded: true,
    });
  }
  return draft.result(
    compact({
      type: trade.type,
      instrument: trade.instrument,
      quantity: shape.quantity ? trade.quantity?.magnitude : undefined,
      price: unitPrice,
      amount: shape.amount ? trade.amount?.magnitude : undefined,
      currency: trade.currency,
      fees,
      tradeDate: trade.tradeDate,
      settleDate:
        settleDate === undefined
          ? undefined
          : draft.date('settleDate', settleDate.raw, settleDate.column, readUsDate),
    }),
  );
};
