import type { Trade } from '@kupala/trade-model';
import { fromScaled, multiply3, type Scaled, toScaled } from './scaled';
import { tradeDecimal } from './trade-fields';
import type { CashEffect } from './types';

const field = (
  trade: Trade,
  name: 'quantity' | 'price' | 'amount' | 'fees',
  text: string | undefined,
): Scaled => (name === 'fees' && text === undefined ? 0n : tradeDecimal(trade, name, text));

const notional = (trade: Trade): Scaled =>
  multiply3(
    field(trade, 'quantity', trade.quantity),
    field(trade, 'price', trade.price),
    toScaled(trade.instrument?.multiplier ?? '1'),
  );

/** Signed change of cash in the trade's currency: 0 when the trade moves no cash. */
const cashDelta = (trade: Trade): Scaled => {
  const fees = field(trade, 'fees', trade.fees);
  switch (trade.type) {
    case 'BUY':
    case 'BUY_TO_COVER':
      return -(notional(trade) + fees);
    case 'SELL':
    case 'SELL_SHORT':
      return notional(trade) - fees;
    case 'DEPOSIT':
    case 'DIVIDEND':
    case 'INTEREST':
      return field(trade, 'amount', trade.amount) - fees;
    case 'WITHDRAWAL':
    case 'FEE':
    case 'TAX':
      return -(field(trade, 'amount', trade.amount) + fees);
    // A securities transfer (it carries a quantity) moves no cash but its fees; a cash transfer moves `amount`.
    case 'TRANSFER_IN':
      return (trade.quantity === undefined ? field(trade, 'amount', trade.amount) : 0n) - fees;
    case 'TRANSFER_OUT':
      return -(trade.quantity === undefined ? field(trade, 'amount', trade.amount) : 0n) - fees;
    case 'SPLIT':
    case 'EXPIRE':
      return -fees;
  }
};

/**
 * Signed cash deltas of one trade per currency (order-independent sums): buys and covers debit notional +
 * fees; sells and short sales credit notional − fees; DEPOSIT, DIVIDEND, INTEREST and a cash TRANSFER_IN credit
 * `amount` (less fees); WITHDRAWAL, FEE, TAX and a cash TRANSFER_OUT debit it (plus fees). A CANCELLED trade
 * counts as never booked: no effect.
 */
export const cashEffects = (trade: Trade): CashEffect[] => {
  if (trade.status !== 'ACTIVE') return [];
  const delta = cashDelta(trade);
  return delta === 0n ? [] : [{ currency: trade.currency, amount: fromScaled(delta) }];
};

/** Income of one trade (DIVIDEND and INTEREST, gross of fees and of any TAX booked apart), else undefined. */
export const incomeEffect = (trade: Trade): CashEffect | undefined => {
  if (trade.status !== 'ACTIVE' || (trade.type !== 'DIVIDEND' && trade.type !== 'INTEREST')) return undefined;
  return { currency: trade.currency, amount: fromScaled(field(trade, 'amount', trade.amount)) };
};
