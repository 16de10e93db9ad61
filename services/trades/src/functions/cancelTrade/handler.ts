import { cancelTradeRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { cancelledTrade } from '../../domain/booking';
import { requireChanged } from '../../outcomes';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

const ATTEMPTS = 3; // a concurrent amend moves the version: re-read and cancel the newer one

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    cancelTradeRoute,
    async ({ user, params }) => {
      const { store, now } = effects();
      for (let attempt = 1; ; attempt += 1) {
        const previous = await store.getTrade(user.sub, params.portfolioId, params.tradeId);
        if (previous === undefined) throw new NotFoundError('Trade');
        if (previous.status === 'CANCELLED') return { statusCode: 200, body: previous };
        const outcome = await store.replaceTrade(
          user.sub,
          cancelledTrade(previous, now()),
          previous.version,
          previous,
        );
        if (outcome.kind !== 'STALE' || attempt === ATTEMPTS)
          return { statusCode: 200, body: requireChanged(outcome) };
      }
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
