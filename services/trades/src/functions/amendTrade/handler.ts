import { amendTradeRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { amendedTrade } from '../../domain/booking';
import { requireChanged } from '../../outcomes';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    amendTradeRoute,
    async ({ user, params, body }) => {
      const { store, now } = effects();
      const previous = await store.getTrade(user.sub, params.portfolioId, params.tradeId);
      if (previous === undefined) throw new NotFoundError('Trade');
      if (previous.status === 'CANCELLED') requireChanged({ kind: 'CANCELLED' });
      if (previous.version !== body.version)
        requireChanged({ kind: 'STALE', currentVersion: previous.version });
      const next = amendedTrade(previous, body, now());
      return {
        statusCode: 200,
        body: requireChanged(await store.replaceTrade(user.sub, next, body.version, previous)),
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
