import { defineRoute } from '../http/route';
import { HealthSchema, PaginationQuerySchema, pageOf } from '../schemas/api';
import {
  CreatePortfolioBodySchema,
  PortfolioPathSchema,
  PortfolioSchema,
  UpdatePortfolioBodySchema,
} from '../schemas/portfolio';
import {
  AmendTradeBodySchema,
  BookTradesBatchBodySchema,
  ListTradesQuerySchema,
  TradeInputSchema,
  TradePathSchema,
  TradeSchema,
} from '../schemas/trade';
import * as z from '../zod';

export const healthRoute = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  summary: 'Liveness check',
  tag: 'Platform',
  auth: false,
  response: HealthSchema,
  successStatus: 200,
});

export const openApiRoute = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This OpenAPI 3.1 document, generated from the zod schemas',
  tag: 'Platform',
  auth: false,
  successStatus: 200,
});

export const createPortfolioRoute = defineRoute({
  operationId: 'createPortfolio',
  method: 'POST',
  path: '/portfolios',
  summary: 'Create a portfolio owned by the caller',
  tag: 'Portfolios',
  auth: true,
  body: CreatePortfolioBodySchema,
  response: PortfolioSchema,
  successStatus: 201,
  idempotent: true,
});

export const listPortfoliosRoute = defineRoute({
  operationId: 'listPortfolios',
  method: 'GET',
  path: '/portfolios',
  summary: "List the caller's portfolios (oldest first)",
  tag: 'Portfolios',
  auth: true,
  query: PaginationQuerySchema,
  response: pageOf(PortfolioSchema),
  successStatus: 200,
});

export const getPortfolioRoute = defineRoute({
  operationId: 'getPortfolio',
  method: 'GET',
  path: '/portfolios/{portfolioId}',
  summary: 'Read one portfolio',
  tag: 'Portfolios',
  auth: true,
  params: PortfolioPathSchema,
  response: PortfolioSchema,
  successStatus: 200,
});

export const updatePortfolioRoute = defineRoute({
  operationId: 'updatePortfolio',
  method: 'PATCH',
  path: '/portfolios/{portfolioId}',
  summary: 'Change name, base currency, lot method or commission schedule (null removes it)',
  tag: 'Portfolios',
  auth: true,
  params: PortfolioPathSchema,
  body: UpdatePortfolioBodySchema,
  response: PortfolioSchema,
  successStatus: 200,
});

export const deletePortfolioRoute = defineRoute({
  operationId: 'deletePortfolio',
  method: 'DELETE',
  path: '/portfolios/{portfolioId}',
  summary: 'Delete a portfolio and every trade booked in it',
  description:
    'The portfolio is gone for every read and booking from the first moment; its trades, versions, broker-id ' +
    'markers, batches, imports and mappings are then purged, by this request and in the background (driven by ' +
    'the table stream, so a request that times out is finished anyway). 204 when nothing is left. 202 ' +
    '`{"portfolioId","status":"DELETING"}` when the purge goes on in the background (a very large portfolio): ' +
    'the portfolio stays invisible meanwhile, and a later DELETE answers 204 once it is done (or purges further).',
  tag: 'Portfolios',
  auth: true,
  params: PortfolioPathSchema,
  successStatus: 204,
  otherResponses: {
    202: {
      description: 'Deletion started and still running: DELETE again to finish it',
      schema: z.strictObject({ portfolioId: z.string(), status: z.literal('DELETING') }),
    },
  },
});

export const bookTradeRoute = defineRoute({
  operationId: 'bookTrade',
  method: 'POST',
  path: '/portfolios/{portfolioId}/trades',
  summary: 'Book one trade or cash activity',
  tag: 'Trades',
  auth: true,
  params: PortfolioPathSchema,
  body: TradeInputSchema,
  response: TradeSchema,
  successStatus: 201,
  idempotent: true,
});

export const listTradesRoute = defineRoute({
  operationId: 'listTrades',
  method: 'GET',
  path: '/portfolios/{portfolioId}/trades',
  summary: 'List trades in application order (tradeDate, then booking order), with filters',
  tag: 'Trades',
  auth: true,
  params: PortfolioPathSchema,
  query: ListTradesQuerySchema,
  response: pageOf(TradeSchema),
  successStatus: 200,
});

export const bookTradesBatchRoute = defineRoute({
  operationId: 'bookTradesBatch',
  method: 'POST',
  path: '/portfolios/{portfolioId}/trades/batch',
  summary: 'Book up to 500 trades at once',
  description:
    'All or nothing: if any trade is invalid (400, details `trades.<n>.<field>`) or repeats a broker externalId ' +
    '(409, details name the rows), nothing is booked. Answers `{"items":[…],"resumed":false}` in the order sent. ' +
    'The trades are staged invisibly, then committed: a 503 (storage stayed busy) leaves nothing visible or ' +
    'leaves the commit unfinished, and a retry with the same `Idempotency-Key` and body then books exactly ' +
    'those trades once (same ids) and answers `"resumed":true`. Send an `Idempotency-Key` to be able to resume.',
  tag: 'Trades',
  auth: true,
  params: PortfolioPathSchema,
  body: BookTradesBatchBodySchema,
  response: z.strictObject({
    items: z.array(TradeSchema),
    /** True when this request finished a batch an earlier attempt with the same Idempotency-Key began. */
    resumed: z.boolean(),
  }),
  successStatus: 201,
  idempotent: true,
  maxBodyBytes: 2 * 1024 * 1024,
});

export const getTradeRoute = defineRoute({
  operationId: 'getTrade',
  method: 'GET',
  path: '/portfolios/{portfolioId}/trades/{tradeId}',
  summary: 'Read the current version of a trade (cancelled trades too)',
  tag: 'Trades',
  auth: true,
  params: TradePathSchema,
  response: TradeSchema,
  successStatus: 200,
});

export const amendTradeRoute = defineRoute({
  operationId: 'amendTrade',
  method: 'PUT',
  path: '/portfolios/{portfolioId}/trades/{tradeId}',
  summary: 'Amend a trade: the whole new body plus the `version` last read',
  description:
    'Optimistic concurrency: a `version` other than the current one answers 409 and changes nothing. ' +
    'The trade keeps its id and booking place; its version goes up by one and the old version stays in the audit.',
  tag: 'Trades',
  auth: true,
  params: TradePathSchema,
  body: AmendTradeBodySchema,
  response: TradeSchema,
  successStatus: 200,
  errorResponses: {
    409: 'the version is stale, the trade is cancelled, or its externalId is already booked; nothing changed',
  },
});

export const cancelTradeRoute = defineRoute({
  operationId: 'cancelTrade',
  method: 'DELETE',
  path: '/portfolios/{portfolioId}/trades/{tradeId}',
  summary: 'Cancel a trade: status becomes CANCELLED, history kept (repeating it changes nothing)',
  tag: 'Trades',
  auth: true,
  params: TradePathSchema,
  response: TradeSchema,
  successStatus: 200,
  errorResponses: { 409: 'the trade kept changing concurrently; read it and retry' },
});

export const listTradeVersionsRoute = defineRoute({
  operationId: 'listTradeVersions',
  method: 'GET',
  path: '/portfolios/{portfolioId}/trades/{tradeId}/versions',
  summary: 'The audit of a trade: every version it has had, oldest first',
  tag: 'Trades',
  auth: true,
  params: TradePathSchema,
  response: pageOf(TradeSchema),
  successStatus: 200,
});

export const exportPortfolioRoute = defineRoute({
  operationId: 'exportPortfolio',
  method: 'GET',
  path: '/portfolios/{portfolioId}/export',
  summary: 'Export a portfolio as lossless kupala-json',
  description:
    'Answers `{"format":"kupala-json","version":1,"exportedAt","portfolio":{name,baseCurrency,lotMethod,' +
    'commissionSchedule?},"trades":[…]}` with every trade in application order, decimals exactly as booked and ' +
    'its `status`. Importing it (format `kupala-json`) into an empty portfolio books the same active trades. ' +
    'An export of up to 1 MiB (about 5,000 trades) is that document itself; a larger one is streamed to ' +
    'storage (never held whole in memory, never refused) and the answer is `{"format":"kupala-json",' +
    '"version":1,"exportedAt","downloadUrl","downloadExpiresAt","bytes"}`: GET `downloadUrl` (no ' +
    'Authorization header) within 15 minutes for the same document.',
  tag: 'Imports and exports',
  auth: true,
  params: PortfolioPathSchema,
  response: z.union([
    z.looseObject({
      format: z.literal('kupala-json'),
      version: z.literal(1),
      trades: z.array(z.unknown()),
    }),
    z.strictObject({
      format: z.literal('kupala-json'),
      version: z.literal(1),
      exportedAt: z.string(),
      /** A presigned GET of the whole document, valid until `downloadExpiresAt`. */
      downloadUrl: z.string(),
      downloadExpiresAt: z.string(),
      bytes: z.number(),
    }),
  ]),
  successStatus: 200,
});

/** The trades context's operations (and the platform's health and OpenAPI routes). */
export const TRADES_ROUTES = [
  healthRoute,
  openApiRoute,
  createPortfolioRoute,
  listPortfoliosRoute,
  getPortfolioRoute,
  updatePortfolioRoute,
  deletePortfolioRoute,
  bookTradeRoute,
  bookTradesBatchRoute,
  listTradesRoute,
  getTradeRoute,
  amendTradeRoute,
  cancelTradeRoute,
  listTradeVersionsRoute,
  exportPortfolioRoute,
] as const;
