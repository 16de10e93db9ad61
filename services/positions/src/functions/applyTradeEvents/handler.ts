import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { applyPortfolioEvents, type TradeEventsDeps } from '../../domain/apply-trade-events';
import { type TradeEvent, tradeEventOf } from '../../domain/trade-events';
import { tradeEventsSideEffects } from '../../positionsSideEffects';
import { batchItemFailures } from '../../stream-batch';

type Image = Record<string, AttributeValue>;
const imageOf = (image: unknown) => (image === undefined ? undefined : unmarshall(image as Image));

/**
 * Trades stream consumer (filtered to TRADE items at the event source). Records are grouped per portfolio,
 * in stream order; a record that cannot be read, or a portfolio whose changes fail, is reported in
 * `batchItemFailures` (its first sequence number) while the other portfolios proceed. Lambda retries from
 * the lowest reported record; what was applied already is skipped by the applied-trade mirror.
 */
export const buildHandler =
  (effects: () => TradeEventsDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const deps = effects();
    const failed: string[] = [];
    const portfolios = new Map<string, { first: string; events: TradeEvent[] }>();
    for (const record of event.Records as DynamoDBRecord[]) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      try {
        const change = tradeEventOf(
          sequence,
          record.eventName ?? 'MODIFY',
          imageOf(record.dynamodb?.NewImage),
          imageOf(record.dynamodb?.OldImage),
        );
        const key = `${change.sub}#${change.portfolioId}`;
        const group = portfolios.get(key) ?? { first: sequence, events: [] };
        group.events.push(change);
        portfolios.set(key, group);
      } catch (error: unknown) {
        logger.error('Unreadable Trades stream record', { sequence, error });
        failed.push(sequence);
      }
    }
    for (const { first, events } of portfolios.values()) {
      const [head] = events;
      if (head === undefined) continue;
      try {
        await applyPortfolioEvents(deps, head.sub, head.portfolioId, events);
      } catch (error: unknown) {
        logger.error('Applying trade events failed', { portfolioId: head.portfolioId, first, error });
        failed.push(first);
      }
    }
    return batchItemFailures(failed);
  };

export const main = buildHandler(tradeEventsSideEffects);
