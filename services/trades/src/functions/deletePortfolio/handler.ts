import { deletePortfolioRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    deletePortfolioRoute,
    async ({ user, params }) => {
      const deleted = await effects().store.deletePortfolio(user.sub, params.portfolioId);
      if (!deleted) throw new NotFoundError('Portfolio');
      return { statusCode: 204 };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
