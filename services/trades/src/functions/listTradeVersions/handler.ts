import { type HttpRouteOptions, httpRoute, listTradeVersionsRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listTradeVersionsRoute,
    async ({ user, params }) => {
      const versions = await effects().store.listTradeVersions(user.sub, params.portfolioId, params.tradeId);
      if (versions.length === 0) throw new NotFoundError('Trade');
      return { statusCode: 200, body: { items: versions, nextCursor: null } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
