import type { TradeType } from '@kupala/trade-model';

/** The booking form's fields per trade type, mirroring the trade schema's variants in trade-model. */
export type TradeFormField =
  | 'instrument'
  | 'quantity'
  | 'price'
  | 'amount'
  | 'ratio'
  | 'currency'
  | 'fees'
  | 'tradeDate'
  | 'settleDate'
  | 'fxRate'
  | 'externalId'
  | 'note';

export interface FieldSpec {
  field: TradeFormField;
  required: boolean;
}

const common: FieldSpec[] = [
  { field: 'currency', required: true },
  { field: 'tradeDate', required: true },
  { field: 'fees', required: false },
  { field: 'settleDate', required: false },
  { field: 'fxRate', required: false },
  { field: 'externalId', required: false },
  { field: 'note', required: false },
];
const req = (field: TradeFormField): FieldSpec => ({ field, required: true });
const opt = (field: TradeFormField): FieldSpec => ({ field, required: false });

const security = [req('instrument'), req('quantity'), req('price')];
const cash = [req('amount'), opt('instrument')];
const transfer = [opt('instrument'), opt('quantity'), opt('price'), opt('amount')];

const specific: Record<TradeType, FieldSpec[]> = {
  BUY: security,
  SELL: security,
  SELL_SHORT: security,
  BUY_TO_COVER: security,
  DEPOSIT: cash,
  WITHDRAWAL: cash,
  INTEREST: cash,
  FEE: cash,
  TAX: cash,
  DIVIDEND: [req('instrument'), req('amount')],
  SPLIT: [req('instrument'), req('ratio')],
  TRANSFER_IN: transfer,
  TRANSFER_OUT: transfer,
  EXPIRE: [req('instrument'), req('quantity')],
};

/** Every trade type, in the order the booking form offers them. */
export const TRADE_FORM_TYPES = Object.keys(specific) as TradeType[];

export const fieldsForTradeType = (type: TradeType): FieldSpec[] => [...specific[type], ...common];

/**
 * The request body for a trade from the form's raw text values: only the fields of that type, empty optional
 * fields left out, values kept as the strings the user typed (the API validates them exactly).
 */
export const tradeBodyFromForm = (
  type: TradeType,
  values: Partial<Record<TradeFormField, string>>,
  instrumentOf: (text: string) => unknown,
): Record<string, unknown> => {
  const body: Record<string, unknown> = { type };
  for (const { field } of fieldsForTradeType(type)) {
    const raw = values[field]?.trim();
    if (!raw) continue;
    body[field] = field === 'instrument' ? instrumentOf(raw) : raw;
  }
  return body;
};
