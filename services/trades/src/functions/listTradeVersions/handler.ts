import { type HttpRouteOptions, httpRoute, listTradeVersionsRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listTradeVersionsRoute,
    async ({ user, params }) => {
      const { store } = effects();
      const [portfolio, versions] = await Promise.all([
        store.getPortfolio(user.sub, params.portfolioId),
        store.listTradeVersions(user.sub, params.portfolioId, params.tradeId),
      ]);
      if (portfolio === undefined || versions.length === 0) throw new NotFoundError('Trade');
      return { statusCode: 200, body: { items: versions, nextCursor: null } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
