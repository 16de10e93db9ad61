import * as z from '../zod';
import { CurrencySchema, TimestampSchema } from './primitives';

/** The latest price of a symbol and where it came from. */
export const QuoteSchema = z.strictObject({
  symbol: z.string(),
  price: z.string(),
  currency: CurrencySchema,
  time: TimestampSchema,
  source: z.string(),
  stale: z.boolean(),
});
export type Quote = z.infer<typeof QuoteSchema>;
