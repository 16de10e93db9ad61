import { bookTradeRoute, httpRoute, NotFoundError } from '@kupala/trade-model';
import { newTrade } from '../../domain/booking';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (effects: () => TradesSideEffects = tradesSideEffects) =>
  httpRoute(bookTradeRoute, async ({ user, params, body }) => {
    const { store, newId, now } = effects();
    const trade = newTrade(params.portfolioId, body, { id: newId(), now: now() });
    if (!(await store.insertTrade(user.sub, trade))) throw new NotFoundError('Portfolio');
    return {
      statusCode: 201,
      body: trade,
      headers: { location: `/portfolios/${trade.portfolioId}/trades/${trade.tradeId}` },
    };
  });

export const main = buildHandler();
