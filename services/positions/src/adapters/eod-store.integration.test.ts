import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, RetriesExhaustedError } from '@kupala/trade-model';
import type { EodSnapshot } from '../domain/eod';
import { buildEodStore } from './eod-store';

const tableName = () => {
  const value = process.env.EOD_TABLE;
  if (value === undefined) throw new Error('EOD_TABLE is not set by the integration setup');
  return value;
};

const snapshot = (date: string, netLiquidation: string | null): EodSnapshot => ({
  date,
  netLiquidation,
  netFlows: '0',
  dailyReturn: null,
  positions: [],
  cash: [],
  closedRealizedPnlBase: '0',
  missing: netLiquidation === null ? ['STK:XMISS'] : [],
});

/** The 2025 weekdays of January, as ISO dates (23 of them: the 1st is a Wednesday). */
const januaryWeekdays = Array.from(
  { length: 31 },
  (_, index) => `2025-01-${String(index + 1).padStart(2, '0')}`,
).filter((date) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()));

const noWait = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, wait: async () => {} };
// twelve writers in lockstep need real, jittered back-off to spread out (as in production): each round of
// attempts lets at least one of them through, so 20 attempts leave a wide margin
const jittered = { maxAttempts: 20, baseDelayMs: 5, maxDelayMs: 200 };

describe('EOD store: the packed series against DynamoDB Local', () => {
  const client = createDocumentClient();
  const sub = `user-${randomUUID()}`;

  it('a range and the day before it come from the series, across years', async () => {
    const portfolioId = randomUUID();
    const store = buildEodStore(client, tableName());
    await store.putSnapshots(sub, portfolioId, [
      snapshot('2024-12-30', '90'),
      snapshot('2024-12-31', '95'),
      snapshot('2025-01-02', '100'),
      snapshot('2025-01-03', null),
    ]);
    expect(await store.series(sub, portfolioId, { from: '2025-01-01', to: '2025-01-02' })).toEqual({
      before: { date: '2024-12-31', netLiquidation: '95', netFlows: '0', dailyReturn: null, missing: [] },
      days: [{ date: '2025-01-02', netLiquidation: '100', netFlows: '0', dailyReturn: null, missing: [] }],
    });
    // a rewrite of one day replaces it in place; the hole keeps its reason
    await store.putSnapshots(sub, portfolioId, [snapshot('2024-12-31', '96')]);
    const { before, days } = await store.series(sub, portfolioId, { from: '2025-01-01', to: '2025-12-31' });
    expect(before?.netLiquidation).toBe('96');
    expect(days.map((day) => [day.date, day.netLiquidation, day.missing])).toEqual([
      ['2025-01-02', '100', []],
      ['2025-01-03', null, ['STK:XMISS']],
    ]);
  });

  it('twelve writers racing on one year lose no day: the series equals the day items', async () => {
    const portfolioId = randomUUID();
    const store = buildEodStore(client, tableName(), jittered);
    // 23 days in 12 concurrent writes of (at most) two days each, all into the 2025 series item
    expect(januaryWeekdays).toHaveLength(23);
    const pairs = Array.from({ length: 12 }, (_, index) => januaryWeekdays.slice(index * 2, index * 2 + 2));
    await Promise.all(
      pairs.map((dates) =>
        store.putSnapshots(
          sub,
          portfolioId,
          dates.map((date, i) => snapshot(date, `${100 + i}`)),
        ),
      ),
    );
    const { days } = await store.series(sub, portfolioId, { from: '2025-01-01', to: '2025-01-31' });
    expect(days.map((day) => day.date)).toEqual(januaryWeekdays);
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': `USER#${sub}#PORTFOLIO#${portfolioId}`, ':day': 'DAY#' },
      }),
    );
    expect(days.map((day) => [day.date, day.netLiquidation])).toEqual(
      (Items ?? []).map((item) => [item.date, item.netLiquidation]),
    );
  });

  it('a series put that keeps losing its race gives up after the capped attempts, with a 503-class error', async () => {
    const portfolioId = randomUUID();
    const real = createDocumentClient();
    let puts = 0;
    // every series put finds the item changed under it (as if another writer always won)
    const losing = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        if (command.constructor.name === 'PutCommand') {
          puts += 1;
          const error = new Error('The conditional request failed');
          error.name = 'ConditionalCheckFailedException';
          throw error;
        }
        return real.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = buildEodStore(losing, tableName(), { ...noWait, maxAttempts: 4 });
    await expect(store.putSnapshots(sub, portfolioId, [snapshot('2025-02-03', '1')])).rejects.toBeInstanceOf(
      RetriesExhaustedError,
    );
    expect(puts).toBe(4);
  });
});
