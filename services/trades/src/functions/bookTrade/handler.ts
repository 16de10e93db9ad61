import { bookTradeRoute, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { newTrade } from '../../domain/booking';
import { requireInserted } from '../../outcomes';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    bookTradeRoute,
    async ({ user, params, body }) => {
      const { store, newId, now } = effects();
      const trade = newTrade(params.portfolioId, body, { id: newId(), now: now() });
      requireInserted(await store.insertTrades(user.sub, params.portfolioId, [trade]));
      return {
        statusCode: 201,
        body: trade,
        headers: { location: `/portfolios/${trade.portfolioId}/trades/${trade.tradeId}` },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
