import { defineRoute } from '../http/route';
import { PaginationQuerySchema, pageOf } from '../schemas/api';
import { PortfolioPathSchema } from '../schemas/portfolio';
import { LotSchema } from '../schemas/position';
import {
  ClosedLotSchema,
  PortfolioPositionsSchema,
  PositionLotsPathSchema,
  PositionsQuerySchema,
  RealizedQuerySchema,
  WhatIfSaleBodySchema,
  WhatIfSaleResultSchema,
} from '../schemas/positions-api';

/** The media type of an .xlsx workbook. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const getPositionsRoute = defineRoute({
  operationId: 'getPositions',
  method: 'GET',
  path: '/portfolios/{portfolioId}/positions',
  summary: 'Positions with P&L, cash per currency and totals in the base currency',
  description: [
    'Positions are recomputed from the Trades stream the moment a trade is booked, amended or cancelled, and',
    'revalued when a price or FX rate changes; a change shows here within about a second. A flat position is',
    'listed only with `includeClosed=true`. Price fields are null when the instrument has no price; `stale` is',
    'true when the latest price is a close more than 4 days older than today (a quote: older than 4 days).',
    'Totals are sums of the base-currency figures; a total that needs a missing price or FX rate is null.',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  query: PositionsQuerySchema,
  response: PortfolioPositionsSchema,
  successStatus: 200,
});

export const listPositionLotsRoute = defineRoute({
  operationId: 'listPositionLots',
  method: 'GET',
  path: '/portfolios/{portfolioId}/positions/{instrumentKey}/lots',
  summary: 'Open lots of one position, oldest first (the instrument key is URL-encoded in the path)',
  description:
    "An instrument the portfolio never held answers an empty list; a portfolio that is not the caller's, 404.",
  tag: 'Positions',
  auth: true,
  params: PositionLotsPathSchema,
  query: PaginationQuerySchema,
  response: pageOf(LotSchema),
  successStatus: 200,
});

export const getRealizedRoute = defineRoute({
  operationId: 'getRealized',
  method: 'GET',
  path: '/portfolios/{portfolioId}/realized',
  summary: 'Closed lots with holding period, proceeds, cost and gain (json, or a csv or xlsx download)',
  description: [
    'Closed lots whose close date is within [from, to] (inclusive), in close order. `format=json` (default) is',
    'paginated; `format=csv` answers text/csv and `format=xlsx` an Excel workbook',
    `(${XLSX_MEDIA_TYPE}, one sheet "Realized"), each as an attachment with every lot of the range (at most`,
    '50,000: narrow the range beyond that, 400) and the same columns. In the workbook the figures (quantity,',
    'proceeds, cost, gain and their base-currency twins) are numeric cells whose stored text is the exact',
    'decimal (a spreadsheet may show it rounded to 15 significant digits); a missing base figure is an empty',
    'cell; the other columns are text cells. Holding period LONG means held more than one year.',
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  query: RealizedQuerySchema,
  response: pageOf(ClosedLotSchema),
  successStatus: 200,
  downloads: {
    'text/csv': { type: 'string' },
    [XLSX_MEDIA_TYPE]: { type: 'string', contentMediaType: XLSX_MEDIA_TYPE },
  },
});

export const whatIfSaleRoute = defineRoute({
  operationId: 'whatIfSale',
  method: 'POST',
  path: '/portfolios/{portfolioId}/what-if-sale',
  summary: 'Realized gain of a planned sale under every lot method, side by side',
  description: [
    'Nothing is booked. The open long quantity must cover the sale (else 409). `lotMethod` is the',
    "portfolio's own method. Figures are in the instrument's currency.",
  ].join(' '),
  tag: 'Positions',
  auth: true,
  params: PortfolioPathSchema,
  body: WhatIfSaleBodySchema,
  response: WhatIfSaleResultSchema,
  successStatus: 200,
});

/** The positions operations, in document order. */
export const POSITIONS_ROUTES = [
  getPositionsRoute,
  listPositionLotsRoute,
  getRealizedRoute,
  whatIfSaleRoute,
] as const;
