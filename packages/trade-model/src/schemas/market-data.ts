import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { SymbolSchema } from './instrument';
import { documentedWith } from './json-schema';
import { CurrencySchema, dateRangeQuery, IsoDateSchema, PositiveDecimalSchema } from './primitives';
import { QuoteSchema } from './quote';

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
/** A dated list with one entry per date: a repeat is named by its position and the position it repeats. */
const onePerDate = (field: string, what: string) =>
  z.superRefine((entries: { date: string }[], ctx) => {
    const firstIndexOf = new Map<string, number>();
    entries.forEach((entry, index) => {
      const first = firstIndexOf.get(entry.date);
      if (first === undefined) firstIndexOf.set(entry.date, index);
      else {
        ctx.issues.push({
          code: 'custom',
          path: [index, 'date'],
          message: `repeats the date of ${field}.${first} (${entry.date}): send one ${what} per date`,
          input: entry.date,
        });
      }
    });
  });

export const ManualPricesBodySchema = documentedWith(
  z.strictObject({
    currency: CurrencySchema,
    prices: z
      .array(DailyCloseInputSchema)
      .check(
        z.minLength(1, 'must contain at least one price'),
        z.maxLength(MAX_MANUAL_PRICES, `must contain at most ${MAX_MANUAL_PRICES} prices`),
        onePerDate('prices', 'close'),
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

/** Most symbols one `GET /quotes` answers. */
export const MAX_QUOTE_SYMBOLS = 50;

/**
 * Query of `GET /quotes`: `symbols` is a comma-separated list of 1 to 50 symbols, case-insensitive; repeats
 * are answered once. Example: `?symbols=AAPL,MSFT,VOD.L`.
 */
export const QuotesQuerySchema = z.strictObject({
  symbols: z.pipe(
    documentedWith(
      z.string().check(
        z.minLength(1),
        z.maxLength(MAX_QUOTE_SYMBOLS * 65),
        z.superRefine((list: string, ctx) => {
          const symbols = list.split(',').map((symbol) => symbol.trim());
          if (symbols.length > MAX_QUOTE_SYMBOLS)
            ctx.issues.push({
              code: 'custom',
              message: `must list at most ${MAX_QUOTE_SYMBOLS} symbols`,
              input: list,
            });
          const invalid = symbols.find((symbol) => !z.safeParse(SymbolSchema, symbol).success);
          if (invalid !== undefined)
            ctx.issues.push({
              code: 'custom',
              message: `${JSON.stringify(invalid.slice(0, 20))} is not a symbol (letters, digits, space and . - _ / ^ = only)`,
              input: list,
            });
        }),
      ),
      {
        description:
          'A comma-separated list of 1 to 50 symbols, each trimmed, case-insensitive. Refused: a list that ' +
          'must list at most 50 symbols; "X" is not a symbol (letters, digits, space and . - _ / ^ = only).',
      },
    ),
    z.transform((list: string) => [...new Set(list.split(',').map((symbol) => symbol.trim().toUpperCase()))]),
  ),
});
export type QuotesQuery = z.infer<typeof QuotesQuerySchema>;

/** Answer of `GET /quotes`: one quote per known symbol, in the order asked. */
export const QuoteListSchema = z.array(QuoteSchema);

/** Query of `GET /fx`: the pair and an optional date (absent: the latest rate). */
export const FxQuerySchema = z.strictObject({
  base: CurrencySchema,
  quote: CurrencySchema,
  date: z.optional(IsoDateSchema),
});
export type FxQuery = z.infer<typeof FxQuerySchema>;

/** Path of `PUT /fx/{base}/{quote}`: two different currencies. */
export const FxPairPathSchema = z
  .strictObject({ base: CurrencySchema, quote: CurrencySchema })
  .check(z.refine((pair) => pair.base !== pair.quote, { message: 'must differ from base', path: ['quote'] }));

/** One daily FX rate as sent: 1 base = `rate` quote. Example: `{"date":"2026-03-02","rate":"0.9234"}`. */
export const FxRateInputSchema = z.strictObject({ date: IsoDateSchema, rate: PositiveDecimalSchema });
export type FxRateInput = z.infer<typeof FxRateInputSchema>;

/**
 * Body of `PUT /fx/{base}/{quote}`: 1 to 5000 daily rates of the caller's own, one per date.
 * Example: `{"rates":[{"date":"2026-03-02","rate":"0.9234"}]}`.
 */
export const ManualFxRatesBodySchema = z.strictObject({
  rates: z
    .array(FxRateInputSchema)
    .check(
      z.minLength(1, 'must contain at least one rate'),
      z.maxLength(MAX_MANUAL_PRICES, `must contain at most ${MAX_MANUAL_PRICES} rates`),
      onePerDate('rates', 'rate'),
    ),
});
export type ManualFxRatesBody = z.infer<typeof ManualFxRatesBodySchema>;

/** Answer of `PUT /fx/{base}/{quote}`. Example: `{"base":"EUR","quote":"USD","written":1,"latest":{"date":"2026-03-02","rate":"1.08"}}`. */
export const ManualFxRatesResultSchema = z.strictObject({
  base: CurrencySchema,
  quote: CurrencySchema,
  written: z.number(),
  latest: z.strictObject({ date: IsoDateSchema, rate: z.string() }),
});
export type ManualFxRatesResult = z.infer<typeof ManualFxRatesResultSchema>;

/**
 * Answer of `GET /fx`: 1 base = `rate` quote on `date` (the rate's own date), from `source` ("manual",
 * a feed, "identity" for a currency against itself). Example:
 * `{"base":"USD","quote":"EUR","date":"2026-03-02","rate":"0.925925925926","source":"yahoo"}`.
 */
export const FxRateResultSchema = z.strictObject({
  base: CurrencySchema,
  quote: CurrencySchema,
  date: IsoDateSchema,
  rate: z.string(),
  source: z.string(),
});
export type FxRateResult = z.infer<typeof FxRateResultSchema>;

/** Most symbols one follow event carries (a sender splits a longer list). */
export const MAX_FOLLOWED_SYMBOLS = 1000;
/** Most FX pairs one follow event carries. */
export const MAX_FOLLOWED_PAIRS = 200;

/**
 * What the positions service sends market-data's `followHeldSymbols` function (an asynchronous invocation, not
 * an API; checked all the same): symbols and FX pairs someone holds, which the scheduled refresh then keeps
 * current. Symbols arrive as market-data keys them (trimmed, upper case). Example:
 * `{"symbols":["AAPL","SAP.DE"],"pairs":[{"base":"EUR","quote":"USD"}]}`.
 */
export const FollowHeldEventSchema = z.strictObject({
  symbols: z
    .array(
      z.pipe(
        SymbolSchema,
        z.transform((symbol: string) => symbol.trim().toUpperCase()),
      ),
    )
    .check(z.maxLength(MAX_FOLLOWED_SYMBOLS)),
  pairs: z
    .array(z.strictObject({ base: CurrencySchema, quote: CurrencySchema }))
    .check(z.maxLength(MAX_FOLLOWED_PAIRS)),
});
export type FollowHeldEvent = z.input<typeof FollowHeldEventSchema>;
