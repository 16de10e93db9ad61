import { tokenFor } from '@kupala/local-stack';
import { lambdaContext } from '@kupala/trade-model/testing';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { tradesSideEffects } from '../../sideEffects';
import { subOf } from '../../testing/imports-requests';
import { partitionItems } from '../../testing/partition';
import { numberedDeposits, tradesApi } from '../../testing/requests';
import { buildHandler } from './handler';

// DynamoDB Local on a shared 2-core machine: hundreds of trades take seconds, not milliseconds
jest.setTimeout(60_000);

const deposits = (count: number) => numberedDeposits(count, 'PURGE');

/** The stream record DynamoDB writes when the portfolio record gains `deletedAt` (typed attributes). */
const portfolioModified = (
  sub: string,
  portfolioId: string,
  deletedAt: string | undefined,
  sequence: string,
) =>
  ({
    Records: [
      {
        eventName: 'MODIFY',
        dynamodb: {
          SequenceNumber: sequence,
          NewImage: {
            pk: { S: `USER#${sub}` },
            sk: { S: `PORTFOLIO#${portfolioId}` },
            entity: { S: 'PORTFOLIO' },
            portfolioId: { S: portfolioId },
            ...(deletedAt === undefined ? {} : { deletedAt: { S: deletedAt } }),
          },
        },
      },
    ],
  }) as unknown as DynamoDBStreamEvent;

/** A context whose remaining time falls by `stepMs` on every look: the purge's clock runs out mid-way. */
const shrinkingContext = (startMs: number, stepMs: number) => {
  let remaining = startMs;
  return {
    ...lambdaContext('purgePortfolio'),
    getRemainingTimeInMillis: () => {
      remaining -= stepMs;
      return remaining;
    },
  };
};

describe('purgePortfolio on the Trades stream (DynamoDB Local)', () => {
  let token: string;
  let api: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`purge-${Date.now()}`);
    api = tradesApi(token);
  });

  it('purges a portfolio marked deleted; out of time it asks for the record again, and the redelivery finishes', async () => {
    const portfolioId = await api.createPortfolio();
    expect((await api.bookBatch(portfolioId, deposits(250))).statusCode).toBe(201);
    const sub = subOf(token);
    // what a DELETE that timed out right after marking it leaves behind
    expect(
      await tradesSideEffects().store.markPortfolioDeleted(sub, portfolioId, '2026-11-24T10:00:00.000Z'),
    ).toBe(true);
    const before = (await partitionItems(token, portfolioId)).length;
    expect(before).toBe(501); // 250 trades, 250 broker-id markers, 1 batch record

    const event = portfolioModified(sub, portfolioId, '2026-11-24T10:00:00.000Z', '111');
    // 20,000 ms left, 5,000 fewer at every look, a 6,000 ms margin: two pages of 100, then out of time
    const first = await buildHandler(tradesSideEffects, 6_000)(event, shrinkingContext(20_000, 5_000));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: '111' }]);
    expect((await partitionItems(token, portfolioId)).length).toBe(before - 200);
    expect((await api.list(portfolioId)).statusCode).toBe(404);

    // the test context always has 10,000 ms left: a 1,000 ms margin lets the redelivery run to the end
    const redelivered = await buildHandler(tradesSideEffects, 1_000)(event, lambdaContext('purgePortfolio'));
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await partitionItems(token, portfolioId)).toEqual([]);
    // and the portfolio record itself is gone: a DELETE now finds nothing
    expect(await tradesSideEffects().store.markPortfolioDeleted(sub, portfolioId, 'later')).toBe(false);

    // a duplicate delivery of the same record changes nothing and fails nothing
    const again = await buildHandler(tradesSideEffects, 1_000)(event, lambdaContext('purgePortfolio'));
    expect(again.batchItemFailures).toEqual([]);
  });

  it('leaves a portfolio that is not marked deleted alone', async () => {
    const portfolioId = await api.createPortfolio();
    expect((await api.bookBatch(portfolioId, deposits(3))).statusCode).toBe(201);
    const event = portfolioModified(subOf(token), portfolioId, undefined, '222');
    const outcome = await buildHandler(tradesSideEffects, 1_000)(event, lambdaContext('purgePortfolio'));
    expect(outcome.batchItemFailures).toEqual([]);
    expect(((await api.list(portfolioId)).body as { items: unknown[] }).items).toHaveLength(3);
  });
});
