import { deletePortfolioRoute, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (effects: () => TradesSideEffects = tradesSideEffects) =>
  httpRoute(deletePortfolioRoute, async ({ user, params }) => {
    const deleted = await effects().store.deletePortfolio(user.sub, params.portfolioId);
    if (!deleted) throw new NotFoundError('Portfolio');
    return { statusCode: 204 };
  });

export const main = buildHandler();
