import { getTradeRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getTradeRoute,
    async ({ user, params }) => {
      const { store } = effects();
      const [portfolio, trade] = await Promise.all([
        store.getPortfolio(user.sub, params.portfolioId),
        store.getTrade(user.sub, params.portfolioId, params.tradeId),
      ]);
      if (portfolio === undefined || trade === undefined) throw new NotFoundError('Trade');
      return { statusCode: 200, body: trade };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
