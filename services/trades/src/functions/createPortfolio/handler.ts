import { createPortfolioRoute, httpRoute } from '@kupala/trade-model';
import { newPortfolio } from '../../domain/booking';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (effects: () => TradesSideEffects = tradesSideEffects) =>
  httpRoute(createPortfolioRoute, async ({ user, body }) => {
    const { store, newId, now } = effects();
    const portfolio = newPortfolio(body, { id: newId(), now: now() });
    await store.createPortfolio(user.sub, portfolio);
    return {
      statusCode: 201,
      body: portfolio,
      headers: { location: `/portfolios/${portfolio.portfolioId}` },
    };
  });

export const main = buildHandler();
