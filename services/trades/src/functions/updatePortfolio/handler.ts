import { type HttpRouteOptions, httpRoute, NotFoundError, updatePortfolioRoute } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    updatePortfolioRoute,
    async ({ user, params, body }) => {
      const { store, now } = effects();
      const changes = {
        ...body,
        ...(body.name === undefined ? {} : { name: body.name.trim() }),
        updatedAt: now(),
      };
      const portfolio = await store.updatePortfolio(user.sub, params.portfolioId, changes);
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      return { statusCode: 200, body: portfolio };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
