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
      const { limit, cursor, ...filter } = query;
      const page = await store.listTrades(user.sub, params.portfolioId, filter, {
        limit: pageLimit(limit),
        cursor,
      });
      // trades only exist under an existing portfolio: only an empty page needs the 404 check
      if (page.items.length === 0 && (await store.getPortfolio(user.sub, params.portfolioId)) === undefined) {
        throw new NotFoundError('Portfolio');
      }
      return { statusCode: 200, body: page };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
