import { getPortfolioRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getPortfolioRoute,
    async ({ user, params }) => {
      const portfolio = await effects().store.getPortfolio(user.sub, params.portfolioId);
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      return { statusCode: 200, body: portfolio };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
