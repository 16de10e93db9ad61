import { getPortfolioRoute, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (effects: () => TradesSideEffects = tradesSideEffects) =>
  httpRoute(getPortfolioRoute, async ({ user, params }) => {
    const portfolio = await effects().store.getPortfolio(user.sub, params.portfolioId);
    if (portfolio === undefined) throw new NotFoundError('Portfolio');
    return { statusCode: 200, body: portfolio };
  });

export const main = buildHandler();
