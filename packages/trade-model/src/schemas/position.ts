import * as z from '../zod';
import { InstrumentSchema } from './instrument';
import { CurrencySchema, IsoDateSchema, TimestampSchema } from './primitives';

/** One holding with its P&L in the instrument's currency and in the portfolio's base currency. */
export const PositionSchema = z.strictObject({
  instrumentKey: z.string(),
  instrument: InstrumentSchema,
  quantity: z.string(),
  averageCost: z.string(),
  costBasis: z.string(),
  lastPrice: z.nullable(z.string()),
  priceTime: z.nullable(TimestampSchema),
  marketValue: z.nullable(z.string()),
  unrealizedPnl: z.nullable(z.string()),
  realizedPnl: z.string(),
  dayPnl: z.nullable(z.string()),
  currency: CurrencySchema,
  costBasisBase: z.string(),
  marketValueBase: z.nullable(z.string()),
  unrealizedPnlBase: z.nullable(z.string()),
  realizedPnlBase: z.string(),
  stale: z.boolean(),
});
export type Position = z.infer<typeof PositionSchema>;

/** An open lot of a position. */
export const LotSchema = z.strictObject({
  openDate: IsoDateSchema,
  quantity: z.string(),
  costPerUnit: z.string(),
  costBasis: z.string(),
});
export type Lot = z.infer<typeof LotSchema>;
