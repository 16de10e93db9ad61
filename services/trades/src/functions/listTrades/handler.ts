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
      // the portfolio is read too: trades of a portfolio being deleted are gone from the first moment
      const [portfolio, page] = await Promise.all([
        store.getPortfolio(user.sub, params.portfolioId),
        store.listTrades(user.sub, params.portfolioId, filter, { limit: pageLimit(limit), cursor }),
      ]);
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      return { statusCode: 200, body: page };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
