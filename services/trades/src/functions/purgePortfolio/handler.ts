import { logger } from '@kupala/trade-model';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deletedPortfolioOf } from '../../adapters/trades-store';
import { type TradesSideEffects, tradesSideEffects } from '../../sideEffects';

/** Time kept in reserve at the end of an invocation: the purge stops a page before the function's timeout. */
export const PURGE_MARGIN_MS = 15_000;

/**
 * The background half of a portfolio deletion, on the Trades stream (filtered on a portfolio record that
 * gains `deletedAt`): purges what the DELETE request left, even when that request timed out. A purge that
 * runs out of time reports its record as failed, so Lambda delivers it again and the purge goes on; a
 * redelivery of a finished one finds nothing left (idempotent, order-safe).
 */
export const buildHandler =
  (effects: () => TradesSideEffects = tradesSideEffects, marginMs: number = PURGE_MARGIN_MS) =>
  async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const { store } = effects();
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage as Record<string, { S?: string }> | undefined;
      const portfolio = deletedPortfolioOf(image);
      if (portfolio === undefined) continue;
      const retry = () => batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      try {
        const keepGoing = () => context.getRemainingTimeInMillis() > marginMs;
        const outcome = await store.purgePortfolio(portfolio.sub, portfolio.portfolioId, keepGoing);
        logger.info('portfolio purge', { portfolioId: portfolio.portfolioId, outcome });
        if (outcome === 'MORE') retry();
      } catch (error: unknown) {
        logger.error('portfolio purge failed; the record is delivered again', { error });
        retry();
      }
    }
    return { batchItemFailures };
  };

export const main = buildHandler();
