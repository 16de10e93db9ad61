import { bookTradesBatchRoute, ConflictError, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { newTrade, repeatedExternalIds } from '../../domain/booking';
import { requireInserted } from '../../outcomes';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    bookTradesBatchRoute,
    async ({ user, params, body }) => {
      const { store, newId, now } = effects();
      const rowOf = (externalId: string) =>
        `trades.${body.trades.findIndex((trade) => trade.externalId === externalId)}.externalId`;
      const repeated = repeatedExternalIds(body.trades);
      if (repeated.length > 0) {
        throw new ConflictError('The batch repeats a broker externalId; nothing was booked', {
          details: repeated.map((row) => ({
            path: `trades.${row}.externalId`,
            message: 'repeats an earlier row',
          })),
        });
      }
      const externalIds = body.trades.flatMap((trade) =>
        trade.externalId === undefined ? [] : [trade.externalId],
      );
      const booked = await store.existingExternalIds(user.sub, params.portfolioId, externalIds);
      if (booked.length > 0) requireInserted({ kind: 'DUPLICATE_EXTERNAL_ID', externalIds: booked }, rowOf);
      const stamp = now();
      const trades = body.trades.map((input) =>
        newTrade(params.portfolioId, input, { id: newId(), now: stamp }),
      );
      requireInserted(await store.insertTrades(user.sub, params.portfolioId, trades), rowOf);
      return { statusCode: 201, body: { items: trades } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
