import { TRADE_TYPES, type TradeType } from '@kupala/trade-model';

/** Which fields each trade type takes (mirrors TradeInputSchema), so a row fills only those. */
export interface TradeShape {
  instrument: 'required' | 'optional';
  quantity: boolean;
  price: boolean;
  amount: boolean;
  ratio: boolean;
}

const security: TradeShape = {
  instrument: 'required',
  quantity: true,
  price: true,
  amount: false,
  ratio: false,
};
const cash: TradeShape = {
  instrument: 'optional',
  quantity: false,
  price: false,
  amount: true,
  ratio: false,
};
const transfer: TradeShape = {
  instrument: 'optional',
  quantity: true,
  price: true,
  amount: true,
  ratio: false,
};

export const TRADE_SHAPES: Record<TradeType, TradeShape> = {
  BUY: security,
  SELL: security,
  SELL_SHORT: security,
  BUY_TO_COVER: security,
  DEPOSIT: cash,
  WITHDRAWAL: cash,
  INTEREST: cash,
  FEE: cash,
  TAX: cash,
  DIVIDEND: { ...cash, instrument: 'required' },
  SPLIT: { instrument: 'required', quantity: false, price: false, amount: false, ratio: true },
  TRANSFER_IN: transfer,
  TRANSFER_OUT: transfer,
  EXPIRE: { instrument: 'required', quantity: true, price: false, amount: false, ratio: false },
};

/**
 * Types whose direction is outgoing: a file may write their quantity or amount negative (a sell of -10,
 * a withdrawal of -500) and the trade keeps the magnitude. For the others a negative value contradicts
 * the type and is a row error.
 */
export const OUTGOING_TYPES: ReadonlySet<TradeType> = new Set([
  'SELL',
  'SELL_SHORT',
  'WITHDRAWAL',
  'FEE',
  'TAX',
  'TRANSFER_OUT',
  'EXPIRE',
]);

const TYPE_NAMES: ReadonlySet<string> = new Set(TRADE_TYPES);

/** `buy`, `Sell Short`, `buy-to-cover` → the trade type, or undefined. */
export const tradeTypeNamed = (text: string): TradeType | undefined => {
  const name = text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return TYPE_NAMES.has(name) ? (name as TradeType) : undefined;
};
