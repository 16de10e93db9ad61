import { type HttpRouteOptions, httpRoute, listPortfoliosRoute, pageLimit } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listPortfoliosRoute,
    async ({ user, query }) => {
      const page = await effects().store.listPortfolios(user.sub, {
        limit: pageLimit(query.limit),
        cursor: query.cursor,
      });
      return { statusCode: 200, body: page };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
