import {
  bodyHash,
  bookTradesBatchRoute,
  ConflictError,
  type HttpRouteOptions,
  header,
  httpRoute,
  NotFoundError,
} from '@kupala/trade-model';
import { newTrade, repeatedExternalIds } from '../../domain/booking';
import { requireInserted } from '../../outcomes';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

/**
 * All or nothing in two phases (see the store's trade batches): every trade is staged invisibly, then the
 * batch is committed. A failure while staging undoes it (nothing visible); a failure while committing is
 * finished by a retry with the same Idempotency-Key, which writes the very same trades (`resumed: true`).
 */
export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    bookTradesBatchRoute,
    async ({ user, params, body, event }) => {
      const { store, newId, now } = effects();
      const { portfolioId } = params;
      const repeated = repeatedExternalIds(body.trades);
      if (repeated.length > 0) {
        throw new ConflictError('The batch repeats a broker externalId; nothing was booked', {
          details: repeated.map((row) => ({
            path: `trades.${row}.externalId`,
            message: 'repeats an earlier row',
          })),
        });
      }
      const batchKey = header(event, 'idempotency-key') ?? newId();
      const fresh = { tradeIds: body.trades.map(() => newId()), bookedAt: now() };
      const batch = await store.openBatch(user.sub, portfolioId, batchKey, bodyHash(body), fresh);
      if (batch.kind === 'NO_PORTFOLIO') throw new NotFoundError('Portfolio');
      if (batch.kind === 'OTHER_REQUEST')
        throw new ConflictError('This Idempotency-Key was already used for another batch in this portfolio');
      const trades = body.trades.map((input, row) =>
        newTrade(portfolioId, input, { id: batch.tradeIds[row] ?? newId(), now: batch.bookedAt }),
      );
      const rowOf = (externalId: string) =>
        `trades.${body.trades.findIndex((trade) => trade.externalId === externalId)}.externalId`;
      if (batch.state === 'STAGING')
        requireInserted(await store.stageBatch(user.sub, portfolioId, batchKey, trades), rowOf);
      if (batch.state !== 'COMMITTED') await store.commitBatch(user.sub, portfolioId, batchKey, trades);
      return { statusCode: 201, body: { items: trades, resumed: batch.kind === 'RESUMED' } };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
