import { decimalOrUndefined } from '../decimal';
import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { InstrumentSchema } from './instrument';
import { documentedWith } from './json-schema';
import {
  boundedText,
  CurrencySchema,
  dateRangeQuery,
  IdSchema,
  IsoDateSchema,
  NonNegativeDecimalSchema,
  PositiveDecimalSchema,
  TimestampSchema,
} from './primitives';

export const TRADE_TYPES = [
  'BUY',
  'SELL',
  'SELL_SHORT',
  'BUY_TO_COVER',
  'DEPOSIT',
  'WITHDRAWAL',
  'DIVIDEND',
  'INTEREST',
  'FEE',
  'TAX',
  'SPLIT',
  'TRANSFER_IN',
  'TRANSFER_OUT',
  'EXPIRE',
] as const;
export const TradeTypeSchema = z.enum(TRADE_TYPES);
export type TradeType = z.infer<typeof TradeTypeSchema>;

export const TRADE_STATUSES = ['ACTIVE', 'CANCELLED'] as const;
export const TradeStatusSchema = z.enum(TRADE_STATUSES);

/** Fields every trade type carries. */
const commonFields = {
  currency: CurrencySchema,
  fees: z.optional(NonNegativeDecimalSchema),
  tradeDate: IsoDateSchema,
  settleDate: z.optional(IsoDateSchema),
  fxRate: z.optional(PositiveDecimalSchema),
  externalId: z.optional(boundedText(128)),
  note: z.optional(boundedText(1000)),
};

type Shape = Record<string, z.core.SomeType>;

const securityTrade = <T extends 'BUY' | 'SELL' | 'SELL_SHORT' | 'BUY_TO_COVER', E extends Shape>(
  type: T,
  extra: E,
) =>
  z.strictObject({
    type: z.literal(type),
    instrument: InstrumentSchema,
    quantity: PositiveDecimalSchema,
    price: NonNegativeDecimalSchema,
    ...commonFields,
    ...extra,
  });

const cashMovement = <T extends 'DEPOSIT' | 'WITHDRAWAL' | 'INTEREST' | 'FEE' | 'TAX', E extends Shape>(
  type: T,
  extra: E,
) =>
  z.strictObject({
    type: z.literal(type),
    amount: PositiveDecimalSchema,
    instrument: z.optional(InstrumentSchema),
    ...commonFields,
    ...extra,
  });

const transfer = <T extends 'TRANSFER_IN' | 'TRANSFER_OUT', E extends Shape>(type: T, extra: E) =>
  z.strictObject({
    type: z.literal(type),
    instrument: z.optional(InstrumentSchema),
    quantity: z.optional(PositiveDecimalSchema),
    price: z.optional(NonNegativeDecimalSchema),
    amount: z.optional(PositiveDecimalSchema),
    ...commonFields,
    ...extra,
  });

/** One strict object per trade type; `extra` adds fields (e.g. `version` for an amend). */
const tradeVariants = <E extends Shape>(extra: E) =>
  [
    securityTrade('BUY', extra),
    securityTrade('SELL', extra),
    securityTrade('SELL_SHORT', extra),
    securityTrade('BUY_TO_COVER', extra),
    cashMovement('DEPOSIT', extra),
    cashMovement('WITHDRAWAL', extra),
    cashMovement('INTEREST', extra),
    cashMovement('FEE', extra),
    cashMovement('TAX', extra),
    z.strictObject({
      type: z.literal('DIVIDEND'),
      instrument: InstrumentSchema,
      amount: PositiveDecimalSchema,
      ...commonFields,
      ...extra,
    }),
    z.strictObject({
      type: z.literal('SPLIT'),
      instrument: InstrumentSchema,
      ratio: PositiveDecimalSchema,
      ...commonFields,
      ...extra,
    }),
    transfer('TRANSFER_IN', extra),
    transfer('TRANSFER_OUT', extra),
    z.strictObject({
      type: z.literal('EXPIRE'),
      instrument: InstrumentSchema,
      quantity: PositiveDecimalSchema,
      ...commonFields,
      ...extra,
    }),
  ] as const;

const baseVariants = tradeVariants({});
type TradeShape = z.infer<(typeof baseVariants)[number]>;

/** Rules that span fields, shared by booking and amending. */
const tradeRules = z.superRefine((trade: TradeShape, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.issues.push({ code: 'custom', path: path.split('.'), message, input: trade });
  if (trade.settleDate !== undefined && trade.settleDate < trade.tradeDate) {
    issue('settleDate', 'must not be before tradeDate');
  }
  if ('price' in trade && trade.instrument !== undefined && trade.currency !== trade.instrument.currency) {
    issue('currency', `must equal the instrument's currency (${trade.instrument.currency})`);
  }
  if (trade.type === 'EXPIRE' && !['OPTION', 'FUTURE'].includes(trade.instrument.assetClass)) {
    issue('instrument.assetClass', 'EXPIRE applies to options and futures only');
  }
  if (trade.type === 'TRANSFER_IN' || trade.type === 'TRANSFER_OUT') {
    const isSecurities = trade.instrument !== undefined;
    if (isSecurities && trade.quantity === undefined) issue('quantity', 'is required to transfer securities');
    if (isSecurities && trade.price === undefined)
      issue('price', 'is required to transfer securities (value per unit at transfer)');
    if (isSecurities && trade.amount !== undefined) issue('amount', 'is only for cash transfers');
    if (!isSecurities && trade.amount === undefined) issue('amount', 'is required for a cash transfer');
    if (!isSecurities && (trade.quantity !== undefined || trade.price !== undefined)) {
      issue('instrument', 'is required when quantity or price is given');
    }
  }
  if (trade.type === 'FEE' && decimalOrUndefined(trade.fees)?.gt(0) === true) {
    issue('fees', 'a FEE carries its amount in `amount`, not `fees`');
  }
});

/**
 * Body of `POST /portfolios/{portfolioId}/trades`: one activity, validated by its `type`.
 * Example: `{"type":"BUY","instrument":{"assetClass":"EQUITY","symbol":"AAPL","currency":"USD"},
 * "quantity":"10","price":"190.50","currency":"USD","fees":"1.00","tradeDate":"2026-01-05"}`.
 */
const TRADE_RULES =
  'Rules across fields (400, detail at the field): settleDate must not be before tradeDate; with a price, ' +
  "currency must equal the instrument's currency (USD); EXPIRE applies to options and futures only; a " +
  'TRANSFER_IN/TRANSFER_OUT of securities: quantity is required to transfer securities, price is required ' +
  'to transfer securities (value per unit at transfer), amount is only for cash transfers; of cash: amount is ' +
  'required for a cash transfer, instrument is required when quantity or price is given; a FEE carries its ' +
  'amount in `amount`, not `fees`.';

export const TradeInputSchema = documentedWith(z.discriminatedUnion('type', baseVariants).check(tradeRules), {
  description: TRADE_RULES,
});
export type TradeInput = z.infer<typeof TradeInputSchema>;

/** Version counter of a trade: 1 when booked, +1 per amend or cancel. */
export const VersionSchema = z.int().check(z.minimum(1), z.maximum(1_000_000));

/** Body of `PUT …/trades/{tradeId}`: the whole new trade plus the `version` last read (stale: 409). */
export const AmendTradeBodySchema = documentedWith(
  z.discriminatedUnion('type', tradeVariants({ version: VersionSchema })).check(tradeRules),
  { description: TRADE_RULES },
);
export type AmendTradeBody = z.infer<typeof AmendTradeBodySchema>;

export const MAX_BATCH_TRADES = 500;
/** Body of `POST …/trades/batch`: 1 to 500 trades, validated all or nothing. */
export const BookTradesBatchBodySchema = z.strictObject({
  trades: z.array(TradeInputSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_TRADES)),
});

/** A booked trade as the API returns it. */
export const TradeSchema = z.strictObject({
  tradeId: IdSchema,
  portfolioId: IdSchema,
  type: TradeTypeSchema,
  instrument: z.optional(InstrumentSchema),
  instrumentKey: z.optional(z.string()),
  quantity: z.optional(z.string()),
  price: z.optional(z.string()),
  amount: z.optional(z.string()),
  ratio: z.optional(z.string()),
  currency: CurrencySchema,
  fees: z.optional(z.string()),
  tradeDate: IsoDateSchema,
  settleDate: z.optional(IsoDateSchema),
  fxRate: z.optional(z.string()),
  externalId: z.optional(z.string()),
  note: z.optional(z.string()),
  status: TradeStatusSchema,
  version: z.number(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Trade = z.infer<typeof TradeSchema>;

export const TradePathSchema = z.strictObject({ portfolioId: IdSchema, tradeId: IdSchema });

/** Query of `GET /portfolios/{portfolioId}/trades`. */
export const ListTradesQuerySchema = dateRangeQuery({
  from: z.optional(IsoDateSchema),
  to: z.optional(IsoDateSchema),
  symbol: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  type: z.optional(TradeTypeSchema),
  limit: z.optional(LimitSchema),
  cursor: z.optional(CursorSchema),
});
