import { getTradeRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getTradeRoute,
    async ({ user, params }) => {
      const trade = await effects().store.getTrade(user.sub, params.portfolioId, params.tradeId);
      if (trade === undefined) throw new NotFoundError('Trade');
      return { statusCode: 200, body: trade };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
