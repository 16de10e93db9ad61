import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { SymbolSchema } from './instrument';
import { documentedWith } from './json-schema';
import { CurrencySchema, dateRangeQuery, IsoDateSchema, PositiveDecimalSchema } from './primitives';

/** Most daily closes one `PUT /instruments/{symbol}/prices` accepts (20 years of trading days). */
export const MAX_MANUAL_PRICES = 5000;
/** `source` of a close a user stored by hand; it wins over any feed's close for the same date. */
export const MANUAL_PRICE_SOURCE = 'manual';

/** Path of `/instruments/{symbol}/…`. Symbols compare case-insensitively: "aapl " arrives as "AAPL". */
export const InstrumentSymbolPathSchema = z.strictObject({
  symbol: z.pipe(
    SymbolSchema,
    z.transform((symbol: string) => symbol.trim().toUpperCase()),
  ),
});

/** One daily close as sent. Example: `{"date":"2026-03-02","close":"190.50"}`. */
export const DailyCloseInputSchema = z.strictObject({ date: IsoDateSchema, close: PositiveDecimalSchema });
export type DailyCloseInput = z.infer<typeof DailyCloseInputSchema>;

/**
 * Body of `PUT /instruments/{symbol}/prices`: 1 to 5000 daily closes, one per date.
 * Example: `{"currency":"USD","prices":[{"date":"2026-03-02","close":"190.50"},{"date":"2026-03-03","close":"191"}]}`.
 */
export const ManualPricesBodySchema = documentedWith(
  z.strictObject({
    currency: CurrencySchema,
    prices: z.array(DailyCloseInputSchema).check(
      z.minLength(1, 'must contain at least one price'),
      z.maxLength(MAX_MANUAL_PRICES, `must contain at most ${MAX_MANUAL_PRICES} prices`),
      z.superRefine((prices, ctx) => {
        const firstIndexOf = new Map<string, number>();
        prices.forEach((price, index) => {
          const first = firstIndexOf.get(price.date);
          if (first === undefined) firstIndexOf.set(price.date, index);
          else {
            ctx.issues.push({
              code: 'custom',
              path: [index, 'date'],
              message: `repeats the date of prices.${first} (${price.date}): send one close per date`,
              input: price.date,
            });
          }
        });
      }),
    ),
  }),
  {
    description:
      'One close per date: a repeated date answers 400: repeats the date of prices.0 (2026-03-02): send one close per date.',
  },
);
export type ManualPricesBody = z.infer<typeof ManualPricesBodySchema>;

/** A daily close as the API returns it. */
export const DailyCloseSchema = z.strictObject({ date: IsoDateSchema, close: z.string() });
export type DailyClose = z.infer<typeof DailyCloseSchema>;

/**
 * Answer of `PUT /instruments/{symbol}/prices`: how many closes were written and the caller's latest
 * stored close of the symbol (its current manual price). Example:
 * `{"symbol":"AAPL","currency":"USD","written":2,"latest":{"date":"2026-03-03","close":"191"}}`.
 */
export const ManualPricesResultSchema = z.strictObject({
  symbol: z.string(),
  currency: CurrencySchema,
  written: z.number(),
  latest: DailyCloseSchema,
});
export type ManualPricesResult = z.infer<typeof ManualPricesResultSchema>;

/** Query of `GET /instruments/{symbol}/history`: an inclusive date range and pagination. */
export const PriceHistoryQuerySchema = dateRangeQuery({
  from: z.optional(IsoDateSchema),
  to: z.optional(IsoDateSchema),
  limit: z.optional(LimitSchema),
  cursor: z.optional(CursorSchema),
});
export type PriceHistoryQuery = z.infer<typeof PriceHistoryQuerySchema>;

/** One close of a price history. Example: `{"date":"2026-03-02","close":"190.50","currency":"USD","source":"manual"}`. */
export const HistoricalCloseSchema = z.strictObject({
  date: IsoDateSchema,
  close: z.string(),
  currency: CurrencySchema,
  source: z.string(),
});
export type HistoricalClose = z.infer<typeof HistoricalCloseSchema>;
