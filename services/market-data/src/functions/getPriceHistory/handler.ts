import { getPriceHistoryRoute, type HttpRouteOptions, httpRoute, pageLimit } from '@kupala/trade-model';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getPriceHistoryRoute,
    async ({ user, params, query }) => {
      const { limit, cursor, ...range } = query;
      const page = await effects().manualPrices.listCloses(user.sub, params.symbol, range, {
        limit: pageLimit(limit),
        cursor,
      });
      return { statusCode: 200, body: page };
    },
    options,
  );

export const main = buildHandler();
