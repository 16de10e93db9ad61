import { defineRoute } from '../http/route';
import { pageOf } from '../schemas/api';
import {
  EodAcceptedSchema,
  EodRequestBodySchema,
  HistoryDaySchema,
  HistoryQuerySchema,
  MAX_STATEMENT_BYTES,
  PerformanceQuerySchema,
  PerformanceSchema,
  RebalanceSchema,
  ReconcileBodySchema,
  ReconciliationSchema,
  TargetsBodySchema,
  TargetsSchema,
} from '../schemas/eod-api';
import { PortfolioPathSchema } from '../schemas/portfolio';

export const requestEodRoute = defineRoute({
  operationId: 'requestEod',
  method: 'POST',
  path: '/portfolios/{portfolioId}/eod',
  summary: "(Re)build the portfolio's end-of-day snapshots of a range of days (asynchronous)",
  description: [
    'What the nightly schedule does for one day: each business day (Monday to Friday) of the range is rebuilt',
    "from the portfolio's trades and that day's closes and FX rates (a close on or before the day; a manual",
    'close wins over the feed), and its snapshot overwritten: a rerun changes nothing. Days before the',
    "portfolio's first trade hold nothing and are skipped. A back-dated, amended or cancelled trade rebuilds",
    'the snapshots from its date on by itself.',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  body: EodRequestBodySchema,
  response: EodAcceptedSchema,
  successStatus: 202,
});

export const getHistoryRoute = defineRoute({
  operationId: 'getHistory',
  method: 'GET',
  path: '/portfolios/{portfolioId}/history',
  summary: 'End-of-day series: net liquidation, external flows and daily return per business day',
  description: [
    'Days in date order, `{"items":[…],"nextCursor"}` like every list. In the base currency: netLiquidation',
    'V_t = market value of positions + cash at the close; netFlows F_t = deposits (+), withdrawals (−) and',
    'transfers at value, taken at the start of the day; dailyReturn r_t = V_t / (V_{t−1} + F_t) − 1, null on',
    "the portfolio's first day, on a day without capital at its start, or next to a day whose value is null",
    '(a held instrument without any close, or a currency without a rate).',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  query: HistoryQuerySchema,
  response: pageOf(HistoryDaySchema),
  successStatus: 200,
});

export const getPerformanceRoute = defineRoute({
  operationId: 'getPerformance',
  method: 'GET',
  path: '/portfolios/{portfolioId}/performance',
  summary: 'TWR, MWR (XIRR), volatility and maximum drawdown of a range of the end-of-day series',
  description: [
    'Measured on the EOD series (GET …/history): the range’s first return uses the close of the business day',
    'before it. A figure that cannot be computed is null, with its reason in `reasons` (never a fake 0%);',
    '`method` states how each is computed. A day without a value in the range makes every figure null.',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  query: PerformanceQuerySchema,
  response: PerformanceSchema,
  successStatus: 200,
});

export const putTargetsRoute = defineRoute({
  operationId: 'putTargets',
  method: 'PUT',
  path: '/portfolios/{portfolioId}/targets',
  summary: "Set the portfolio's target weights (replacing the previous ones)",
  description:
    'A weight per instrument key, each from 0 to 1, summing to at most 1: the rest is the cash target. An empty map clears the targets.',
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  body: TargetsBodySchema,
  response: TargetsSchema,
  successStatus: 200,
});

export const getRebalanceRoute = defineRoute({
  operationId: 'getRebalance',
  method: 'GET',
  path: '/portfolios/{portfolioId}/rebalance',
  summary: 'Proposed trades that bring the weights closest to the targets, with the drift they leave',
  description: [
    'Valued at the latest prices and FX rates in the base currency, as GET …/positions. Whole units, or steps',
    'of 0.00000001 for crypto, FX and cash instruments; purchases never spend more cash than there is (fees are',
    'not estimated); holdings without a target are sold. Nothing is booked. 409 when no targets are set or an',
    'instrument to value has no price (or its currency no rate).',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  response: RebalanceSchema,
  successStatus: 200,
  errorResponses: { 409: 'No targets are set, or an instrument to value has no price or FX rate' },
});

export const reconcileRoute = defineRoute({
  operationId: 'reconcile',
  method: 'POST',
  path: '/portfolios/{portfolioId}/reconcile',
  summary: "Breaks between a broker positions statement and the portfolio's computed positions",
  description: [
    'Row by row (never by totals): MISSING_IN_KUPALA, MISSING_AT_BROKER, QUANTITY_MISMATCH and COST_MISMATCH',
    '(beyond the tolerance), DUPLICATE_ROW and AMBIGUOUS_ROW (a symbol held in several currencies, the row naming',
    'none). Rows that cannot be read are listed in `errors` and take no part. Nothing is stored. Refused (400):',
    'a statement holds at most 20000 rows.',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  body: ReconcileBodySchema,
  response: ReconciliationSchema,
  successStatus: 200,
  maxBodyBytes: MAX_STATEMENT_BYTES + 64 * 1024,
});

/** The EOD, performance, targets and reconciliation operations, in document order. */
export const EOD_ROUTES = [
  requestEodRoute,
  getHistoryRoute,
  getPerformanceRoute,
  putTargetsRoute,
  getRebalanceRoute,
  reconcileRoute,
] as const;
