import { createPortfolioRoute, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { newPortfolio } from '../../domain/booking';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    createPortfolioRoute,
    async ({ user, body }) => {
      const { store, newId, now } = effects();
      const portfolio = newPortfolio(body, { id: newId(), now: now() });
      await store.createPortfolio(user.sub, portfolio);
      return {
        statusCode: 201,
        body: portfolio,
        headers: { location: `/portfolios/${portfolio.portfolioId}` },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
