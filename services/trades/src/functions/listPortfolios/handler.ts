import { httpRoute, listPortfoliosRoute, pageLimit } from '@kupala/trade-model';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (effects: () => TradesSideEffects = tradesSideEffects) =>
  httpRoute(listPortfoliosRoute, async ({ user, query }) => {
    const page = await effects().store.listPortfolios(user.sub, {
      limit: pageLimit(query.limit),
      cursor: query.cursor,
    });
    return { statusCode: 200, body: page };
  });

export const main = buildHandler();
