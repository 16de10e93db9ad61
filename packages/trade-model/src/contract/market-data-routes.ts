import { defineRoute } from '../http/route';
import { pageOf } from '../schemas/api';
import {
  HistoricalCloseSchema,
  InstrumentSymbolPathSchema,
  ManualPricesBodySchema,
  ManualPricesResultSchema,
  PriceHistoryQuerySchema,
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
});

export const getPriceHistoryRoute = defineRoute({
  operationId: 'getPriceHistory',
  method: 'GET',
  path: '/instruments/{symbol}/history',
  summary: 'Daily closes of a symbol in date order, within an optional inclusive date range',
  description: [
    'Lists the daily closes the caller stored with PUT /instruments/{symbol}/prices (source "manual"),',
    "oldest first. A symbol without closes answers an empty list. Another user's manual prices are",
    'never included.',
  ].join(' '),
  tag: 'Market data',
  auth: true,
  params: InstrumentSymbolPathSchema,
  query: PriceHistoryQuerySchema,
  response: pageOf(HistoricalCloseSchema),
  successStatus: 200,
});

/** The market-data operations, in document order. */
export const MARKET_DATA_ROUTES = [putManualPricesRoute, getPriceHistoryRoute] as const;
