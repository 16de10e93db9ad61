import {
  getPriceHistoryRoute,
  type HttpRouteOptions,
  httpRoute,
  MANUAL_PRICE_SOURCE,
  pageLimit,
} from '@kupala/trade-model';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getPriceHistoryRoute,
    async ({ user, params, query }) => {
      const { marketData, now } = effects();
      const { limit, cursor, ...range } = query;
      const page = await marketData.listCloses(user.sub, params.symbol, range, {
        limit: pageLimit(limit),
        cursor,
      });
      // a first page without feed closes puts the symbol on the refresh list, which backfills two years
      if (cursor === undefined && page.items.every((close) => close.source === MANUAL_PRICE_SOURCE))
        await marketData.trackSymbol(params.symbol, now());
      return { statusCode: 200, body: page };
    },
    options,
  );

export const main = buildHandler();
