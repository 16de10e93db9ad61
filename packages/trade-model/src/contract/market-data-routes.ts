import { defineRoute } from '../http/route';
import { ErrorBodySchema, pageOf } from '../schemas/api';
import {
  FxPairPathSchema,
  FxQuerySchema,
  FxRateResultSchema,
  HistoricalCloseSchema,
  InstrumentSymbolPathSchema,
  ManualFxRatesBodySchema,
  ManualFxRatesResultSchema,
  ManualPricesBodySchema,
  ManualPricesResultSchema,
  PriceHistoryQuerySchema,
  QuoteListSchema,
  QuotesQuerySchema,
} from '../schemas/market-data';

export const putManualPricesRoute = defineRoute({
  operationId: 'putManualPrices',
  method: 'PUT',
  path: '/instruments/{symbol}/prices',
  summary: 'Store manual daily closes of a symbol (they win over a feed for the same date)',
  description: [
    "Manual prices belong to the caller: they value only the caller's positions (the positions engine",
    "reads the caller's manual close first and the feed second) and no other user ever sees or is moved",
    'by them. Each close is written with source "manual", replacing the caller\'s earlier close of that',
    "date; the request is idempotent, so a failed call may simply be repeated. A symbol's manual prices",
    'keep the currency of the first request: another currency answers 409. The symbol is case-insensitive.',
    "`latest` is the caller's latest stored close of the symbol, which is its current manual price.",
  ].join(' '),
  tag: 'Market data',
  auth: true,
  params: InstrumentSymbolPathSchema,
  body: ManualPricesBodySchema,
  response: ManualPricesResultSchema,
  errorResponses: { 409: "the symbol's manual prices are kept in another currency; nothing changed" },
  successStatus: 200,
  otherResponses: {
    409: {
      description: "CONFLICT: the symbol's manual prices are kept in another currency",
      schema: ErrorBodySchema,
    },
  },
});

export const getPriceHistoryRoute = defineRoute({
  operationId: 'getPriceHistory',
  method: 'GET',
  path: '/instruments/{symbol}/history',
  summary: 'Daily closes of a symbol in date order, within an optional inclusive date range',
  description: [
    'Lists the symbol\'s daily closes oldest first: the feed\'s (source "yahoo" or "simulated", stored by',
    'the scheduled refresh) merged with the closes the caller stored with PUT /instruments/{symbol}/prices',
    '(source "manual"); on a date with both, the manual close wins. Closes are unadjusted: a split shows as a',
    'jump. A symbol without closes answers an empty list (asking for it puts it on the refresh list, which',
    "backfills two years of feed closes). Another user's manual prices are never included.",
  ].join(' '),
  tag: 'Market data',
  auth: true,
  params: InstrumentSymbolPathSchema,
  query: PriceHistoryQuerySchema,
  response: pageOf(HistoricalCloseSchema),
  successStatus: 200,
});

export const getQuotesRoute = defineRoute({
  operationId: 'getQuotes',
  method: 'GET',
  path: '/quotes',
  summary: 'Latest price of up to 50 symbols, each with its source and a stale flag',
  description: [
    'One quote per symbol the feed or the caller knows, in the order asked; a symbol nobody knows is left',
    "out. For each symbol: the feed's stored quote, refreshed from the providers when missing or stale",
    '(providers in order, e.g. yahoo; a rate-limited or failing provider is retried with capped backoff, then',
    "the next one answers and its name is the `source`), and the caller's latest manual close; the most recent",
    'wins, and on the same date the manual close. `stale` is true when the price is more than 30 minutes older',
    "than its market's expected update: now while the market is open, else its last session's close (US",
    'equities 14:30–21:00 UTC, European 08:00–16:30, Tokyo 00:00–06:00, FX 24 hours on weekdays, crypto',
    "always; weekends skipped, holidays not known). A manual close counts as of its session's close.",
  ].join(' '),
  tag: 'Market data',
  auth: true,
  query: QuotesQuerySchema,
  response: QuoteListSchema,
  successStatus: 200,
});

export const getFxRateRoute = defineRoute({
  operationId: 'getFxRate',
  method: 'GET',
  path: '/fx',
  summary: 'FX rate of a pair on a date (1 base = rate quote), or the latest one',
  description: [
    "Candidates are the caller's manual rates (PUT /fx/{base}/{quote}) and the feed's, of the pair and of",
    'its inverse (used as 1 / rate, 12 decimal places). With `date`, the latest rate on or within 7 days',
    'before that date (weekends and holidays carry the last rate); without it, the latest rate there is.',
    "The answer's `date` is the rate's own date. On the same date a manual rate wins over the feed's and",
    'the pair over its inverse. A currency against itself is 1 (source "identity"). When the feed has no',
    'rate yet it is asked once and the pair goes on the refresh list. 404 when no rate exists.',
  ].join(' '),
  tag: 'Market data',
  auth: true,
  query: FxQuerySchema,
  response: FxRateResultSchema,
  successStatus: 200,
  otherResponses: {
    404: {
      description: 'NOT_FOUND: no rate of the pair (or its inverse) on or before the date',
      schema: ErrorBodySchema,
    },
  },
});

export const putManualFxRatesRoute = defineRoute({
  operationId: 'putManualFxRates',
  method: 'PUT',
  path: '/fx/{base}/{quote}',
  summary:
    'Store manual daily FX rates of a pair (1 base = rate quote); they win over the feed for the same date',
  description: [
    "Manual rates belong to the caller and convert only the caller's figures. Each rate replaces the",
    "caller's earlier rate of that date for the pair; the request is idempotent. The inverse pair is derived",
    "when read (1 / rate), so store a pair once. `latest` is the caller's latest stored rate of the pair.",
    'Refused with 400: the quote currency must differ from base; a rate whose date repeats the date of',
    'rates.0 (2026-03-02): send one rate per date.',
  ].join(' '),
  tag: 'Market data',
  auth: true,
  params: FxPairPathSchema,
  body: ManualFxRatesBodySchema,
  response: ManualFxRatesResultSchema,
  successStatus: 200,
});

/** The market-data operations, in document order. */
export const MARKET_DATA_ROUTES = [
  getQuotesRoute,
  putManualPricesRoute,
  getPriceHistoryRoute,
  getFxRateRoute,
  putManualFxRatesRoute,
] as const;
