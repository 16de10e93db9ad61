import {
  type HttpRouteOptions,
  httpRoute,
  listTradesRoute,
  NotFoundError,
  pageLimit,
} from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listTradesRoute,
    async ({ user, params, query }) => {
      const { store } = effects();
      if ((await store.getPortfolio(user.sub, params.portfolioId)) === undefined)
        throw new NotFoundError('Portfolio');
      const { limit, cursor, ...filter } = query;
      const page = await store.listTrades(user.sub, params.portfolioId, filter, {
        limit: pageLimit(limit),
        cursor,
      });
      return { statusCode: 200, body: page };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
