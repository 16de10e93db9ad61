import { PositionsTotalsSchema } from '../http/websocket';
import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { documentedWith } from './json-schema';
import { LotMethodSchema } from './portfolio';
import { PositionSchema } from './position';
import {
  CurrencySchema,
  dateRangeQuery,
  IdSchema,
  IsoDateSchema,
  NonNegativeDecimalSchema,
  PositiveDecimalSchema,
  TimestampSchema,
} from './primitives';

/**
 * An instrument key as a path parameter (URL-encoded in the path), e.g. `EQUITY:AAPL:USD` or
 * `OPTION:AAPL:2026-12-18:200:C:USD`: an asset class, then `:`-separated parts without spaces at the ends.
 */
export const InstrumentKeySchema = z
  .string()
  .check(
    z.minLength(5),
    z.maxLength(200),
    z.regex(
      /^[A-Z]+(:[A-Za-z0-9.\-_/^= ]*)+$/,
      'must be an instrument key such as EQUITY:AAPL:USD (asset class, then ":"-separated parts)',
    ),
  );

/** `?includeClosed=true` also lists flat positions (quantity 0, realized P&L kept). */
export const PositionsQuerySchema = z.strictObject({
  includeClosed: z.optional(z.enum(['true', 'false'])),
});
export type PositionsQuery = z.infer<typeof PositionsQuerySchema>;

/** Cash balance of one currency (credits and debits of every trade). */
export const CashBalanceSchema = z.strictObject({ currency: CurrencySchema, balance: z.string() });
export type CashBalance = z.infer<typeof CashBalanceSchema>;

/**
 * Answer of `GET /portfolios/{portfolioId}/positions`: every position with P&L, cash per currency and
 * totals in the base currency, as of `asOf`.
 */
export const PortfolioPositionsSchema = z.strictObject({
  asOf: TimestampSchema,
  baseCurrency: CurrencySchema,
  positions: z.array(PositionSchema),
  cash: z.array(CashBalanceSchema),
  totals: PositionsTotalsSchema,
  waitingForRates: z.optional(
    documentedWith(z.array(z.strictObject({ from: CurrencySchema, to: CurrencySchema })), {
      description:
        'Present only when some trades could not be applied yet: each pair of currencies with no rate (from the ' +
        "trade's currency to the base) on or before a trade's date. Positions, cash and totals leave those trades " +
        'out until a rate arrives (market data fetches the pair; `PUT /fx/{base}/{quote}` stores one by hand), ' +
        'then they are applied; a trade with its own `fxRate` never waits.',
    }),
  ),
});
export type PortfolioPositions = z.infer<typeof PortfolioPositionsSchema>;

/** Path of `/portfolios/{portfolioId}/positions/{instrumentKey}/lots`. */
export const PositionLotsPathSchema = z.strictObject({
  portfolioId: IdSchema,
  instrumentKey: InstrumentKeySchema,
});

export const REALIZED_FORMATS = ['json', 'csv', 'xlsx'] as const;
/** Query of `GET …/realized`: closed lots whose close date is within [from, to]; csv and xlsx are downloads. */
export const RealizedQuerySchema = dateRangeQuery({
  from: z.optional(IsoDateSchema),
  to: z.optional(IsoDateSchema),
  format: z.optional(z.enum(REALIZED_FORMATS)),
  limit: z.optional(LimitSchema),
  cursor: z.optional(CursorSchema),
});
export type RealizedQuery = z.infer<typeof RealizedQuerySchema>;

/**
 * A closed lot (or the part of a lot a sale closed): figures in the trade currency and in the base
 * currency; `holdingPeriod` LONG when held more than one year.
 */
export const ClosedLotSchema = z.strictObject({
  instrumentKey: z.string(),
  openDate: IsoDateSchema,
  closeDate: IsoDateSchema,
  quantity: z.string(),
  proceeds: z.string(),
  cost: z.string(),
  gain: z.string(),
  holdingPeriod: z.enum(['SHORT', 'LONG']),
  proceedsBase: z.nullable(z.string()),
  costBase: z.nullable(z.string()),
  gainBase: z.nullable(z.string()),
  currency: CurrencySchema,
  openTradeId: z.string(),
  closeTradeId: z.string(),
});
export type ClosedLotView = z.infer<typeof ClosedLotSchema>;

/**
 * Body of `POST …/what-if-sale`: a planned sale of `quantity` at `price` (trade currency) on `date`
 * (default today). Example: `{"instrumentKey":"EQUITY:AAPL:USD","quantity":"10","price":"210"}`.
 */
export const WhatIfSaleBodySchema = z.strictObject({
  instrumentKey: InstrumentKeySchema,
  quantity: PositiveDecimalSchema,
  price: NonNegativeDecimalSchema,
  date: z.optional(IsoDateSchema),
});
export type WhatIfSaleBody = z.infer<typeof WhatIfSaleBodySchema>;

/** The outcome of the planned sale under one lot method. */
export const WhatIfOutcomeSchema = z.strictObject({
  realizedGain: z.string(),
  proceeds: z.string(),
  cost: z.string(),
  lotsClosed: z.number(),
  shortTermGain: z.optional(z.string()),
  longTermGain: z.optional(z.string()),
});

/** Answer of `POST …/what-if-sale`: the sale under every lot method side by side. */
export const WhatIfSaleResultSchema = z.strictObject({
  instrumentKey: z.string(),
  quantity: z.string(),
  price: z.string(),
  date: IsoDateSchema,
  currency: CurrencySchema,
  lotMethod: LotMethodSchema,
  methods: z.strictObject({
    FIFO: WhatIfOutcomeSchema,
    LIFO: WhatIfOutcomeSchema,
    HIFO: WhatIfOutcomeSchema,
    AVERAGE: WhatIfOutcomeSchema,
  }),
});
export type WhatIfSaleResult = z.infer<typeof WhatIfSaleResultSchema>;
