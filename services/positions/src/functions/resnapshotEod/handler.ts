import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '@kupala/trade-model';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { previousBusinessDay } from '../../domain/eod';
import { runEodJob } from '../../domain/eod-run';
import { tradeEventOf } from '../../domain/trade-events';
import { type EodResnapshotSideEffects, eodResnapshotSideEffects } from '../../eodSideEffects';
import { batchItemFailures } from '../../stream-batch';

type Image = Record<string, AttributeValue>;
const imageOf = (image: unknown) => (image === undefined ? undefined : unmarshall(image as Image));

/**
 * Trades stream consumer (TRADE items): puts each portfolio seen on the nightly run's list, and a booked,
 * amended, cancelled or deleted trade dated on or before a portfolio's last snapshot rebuilds the snapshots
 * from the earliest such date (old or new trade date) to the last snapshot. Idempotent (the list holds a
 * portfolio once; a rebuild overwrites) and order-safe (it reads the trades as they are now).
 */
export const buildHandler =
  (effects: () => EodResnapshotSideEffects = eodResnapshotSideEffects) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const deps = effects();
    const failed: string[] = [];
    const dirty = new Map<string, { sub: string; portfolioId: string; from: string; first: string }>();
    for (const record of event.Records as DynamoDBRecord[]) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      try {
        const newImage = imageOf(record.dynamodb?.NewImage);
        const oldImage = imageOf(record.dynamodb?.OldImage);
        const change = tradeEventOf(
          sequence,
          newImage === undefined ? 'REMOVE' : 'INSERT',
          newImage,
          oldImage,
        );
        const dates = [newImage?.tradeDate, oldImage?.tradeDate].filter(
          (date): date is string => typeof date === 'string',
        );
        const earliest = dates.sort()[0];
        if (earliest === undefined) continue;
        // from the business day before: a trade before the first one moves the portfolio's first (zero) day
        const from = previousBusinessDay(earliest);
        const key = `${change.sub}#${change.portfolioId}`;
        const known = dirty.get(key);
        if (known === undefined)
          dirty.set(key, { sub: change.sub, portfolioId: change.portfolioId, from, first: sequence });
        else if (from < known.from) known.from = from;
      } catch (error: unknown) {
        logger.error('Unreadable Trades stream record', { sequence, error });
        failed.push(sequence);
      }
    }
    // every portfolio with a trade goes on the nightly run's list (idempotent); failing that, the batch is retried
    await deps.register([...dirty.values()].map(({ sub, portfolioId }) => ({ sub, portfolioId })));
    for (const { sub, portfolioId, from, first } of dirty.values()) {
      try {
        const last = await deps.lastDay(sub, portfolioId);
        if (last === undefined || last < from) continue;
        await runEodJob(deps.build, { sub, portfolioId, from, to: last });
      } catch (error: unknown) {
        logger.error('Re-snapshot failed', { portfolioId, from, error });
        failed.push(first);
      }
    }
    return batchItemFailures(failed);
  };

export const main = buildHandler();
