import { invoke } from '@kupala/trade-model/testing';
import { main as amendTrade } from '../functions/amendTrade/handler';
import { main as bookTrade } from '../functions/bookTrade/handler';
import { main as bookTradesBatch } from '../functions/bookTradesBatch/handler';
import { main as cancelTrade } from '../functions/cancelTrade/handler';
import { main as createPortfolio } from '../functions/createPortfolio/handler';
import { main as getTrade } from '../functions/getTrade/handler';
import { main as listTrades } from '../functions/listTrades/handler';
import { main as listTradeVersions } from '../functions/listTradeVersions/handler';

/** `count` USD deposits of 1, 2, 3… on 2026-01-02, with broker ids `<prefix>-1`, `<prefix>-2`… */
export const numberedDeposits = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => ({
    type: 'DEPOSIT',
    amount: String(index + 1),
    currency: 'USD',
    tradeDate: '2026-01-02',
    externalId: `${prefix}-${index + 1}`,
  }));

/** The request of `POST …/trades/batch` as API Gateway sends it. */
export const bookBatchRequest = (
  token: string,
  portfolioId: string,
  trades: unknown[],
  headers: Record<string, string> = {},
) => ({
  method: 'POST' as const,
  path: `/portfolios/${portfolioId}/trades/batch`,
  routePath: '/portfolios/{portfolioId}/trades/batch',
  pathParameters: { portfolioId },
  token,
  body: { trades },
  headers,
});

/** Calls the trades handlers the way API Gateway does, for integration tests. */
export const tradesApi = (token: string) => {
  const tradePath = (portfolioId: string, tradeId: string) => ({
    path: `/portfolios/${portfolioId}/trades/${tradeId}`,
    routePath: '/portfolios/{portfolioId}/trades/{tradeId}',
    pathParameters: { portfolioId, tradeId },
    token,
  });
  return {
    createPortfolio: async (body: unknown = { name: 'Test', baseCurrency: 'USD' }) => {
      const response = await invoke(createPortfolio, { method: 'POST', path: '/portfolios', token, body });
      return (response.body as { portfolioId: string }).portfolioId;
    },
    book: (portfolioId: string, body: unknown, headers: Record<string, string> = {}) =>
      invoke(bookTrade, {
        method: 'POST',
        path: `/portfolios/${portfolioId}/trades`,
        routePath: '/portfolios/{portfolioId}/trades',
        pathParameters: { portfolioId },
        token,
        body,
        headers,
      }),
    bookBatch: (portfolioId: string, trades: unknown[]) =>
      invoke(bookTradesBatch, bookBatchRequest(token, portfolioId, trades)),
    list: (portfolioId: string, query: Record<string, string> = {}) =>
      invoke(listTrades, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/trades`,
        routePath: '/portfolios/{portfolioId}/trades',
        pathParameters: { portfolioId },
        token,
        query,
      }),
    get: (portfolioId: string, tradeId: string) =>
      invoke(getTrade, { method: 'GET', ...tradePath(portfolioId, tradeId) }),
    amend: (portfolioId: string, tradeId: string, body: unknown) =>
      invoke(amendTrade, { method: 'PUT', ...tradePath(portfolioId, tradeId), body }),
    cancel: (portfolioId: string, tradeId: string) =>
      invoke(cancelTrade, { method: 'DELETE', ...tradePath(portfolioId, tradeId) }),
    versions: (portfolioId: string, tradeId: string) =>
      invoke(listTradeVersions, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/trades/${tradeId}/versions`,
        routePath: '/portfolios/{portfolioId}/trades/{tradeId}/versions',
        pathParameters: { portfolioId, tradeId },
        token,
      }),
  };
};
