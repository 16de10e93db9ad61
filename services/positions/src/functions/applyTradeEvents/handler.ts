import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { applyPortfolioEvents, type TradeEventsDeps } from '../../domain/apply-trade-events';
import { isPortfolioImage, portfolioOfImage, type TradeEvent, tradeEventOf } from '../../domain/trade-events';
import { tradeEventsSideEffects } from '../../positionsSideEffects';
import { batchItemFailures } from '../../stream-batch';

type Image = Record<string, AttributeValue>;
const imageOf = (image: unknown) => (image === undefined ? undefined : unmarshall(image as Image));

/**
 * Trades stream consumer (filtered to TRADE and PORTFOLIO items at the event source). A PORTFOLIO record (its
 * settings changed) re-derives the positions computed under another base currency or lot method. Records are
 * grouped per portfolio,
 * in stream order; a record that cannot be read, or a portfolio whose changes fail, is reported in
 * `batchItemFailures` (its first sequence number) while the other portfolios proceed. Lambda retries from
 * the lowest reported record; what was applied already is skipped by the applied-trade mirror.
 */
export const buildHandler =
  (effects: () => TradeEventsDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const deps = effects();
    const failed: string[] = [];
    const portfolios = new Map<
      string,
      { first: string; sub: string; portfolioId: string; events: TradeEvent[]; settingsChanged: boolean }
    >();
    const groupOf = (sequence: string, sub: string, portfolioId: string) => {
      const key = `${sub}#${portfolioId}`;
      const group = portfolios.get(key) ?? {
        first: sequence,
        sub,
        portfolioId,
        events: [],
        settingsChanged: false,
      };
      portfolios.set(key, group);
      return group;
    };
    for (const record of event.Records as DynamoDBRecord[]) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      try {
        const newImage = imageOf(record.dynamodb?.NewImage);
        if (record.eventName !== 'REMOVE' && newImage !== undefined && isPortfolioImage(newImage)) {
          const { sub, portfolioId } = portfolioOfImage(sequence, newImage);
          groupOf(sequence, sub, portfolioId).settingsChanged = true;
          continue;
        }
        const change = tradeEventOf(
          sequence,
          record.eventName ?? 'MODIFY',
          newImage,
          imageOf(record.dynamodb?.OldImage),
        );
        groupOf(sequence, change.sub, change.portfolioId).events.push(change);
      } catch (error: unknown) {
        logger.error('Unreadable Trades stream record', { sequence, error });
        failed.push(sequence);
      }
    }
    for (const { first, sub, portfolioId, events, settingsChanged } of portfolios.values()) {
      try {
        await applyPortfolioEvents(deps, sub, portfolioId, events, { settingsChanged });
      } catch (error: unknown) {
        logger.error('Applying trade events failed', { portfolioId, first, error });
        failed.push(first);
      }
    }
    return batchItemFailures(failed);
  };

export const main = buildHandler(tradeEventsSideEffects);
