import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchWriteAll,
  createDocumentClient,
  getEnvVariable,
  priceCloseItem,
  RetriesExhaustedError,
} from '@kupala/trade-model';
import { buildEodStore } from '../../adapters/eod-store';
import { eodBuildDeps } from '../../eodSideEffects';
import { buildHandler } from './handler';

type Marshalled = Record<string, { S?: string }>;
interface Fault {
  /** Rewrites a raw (marshalled) request before it is sent. */
  request?(operation: string, input: Record<string, unknown>): void;
  /** Rewrites a raw response, or throws in its place. */
  response?(operation: string, input: Record<string, unknown>, output: Record<string, unknown>): void;
}

/** A document client over a raw client whose requests and responses pass through `fault` (fault injection). */
const faultyClient = (fault: Fault) => {
  const raw = new DynamoDBClient({ maxAttempts: 1 });
  const sent: string[] = [];
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      sent.push(operation);
      fault.request?.(operation, input);
      const result = await next(args);
      fault.response?.(operation, input, result.output as unknown as Record<string, unknown>);
      return result;
    },
    { step: 'initialize', name: 'injectFaults' },
  );
  return { client: createDocumentClient(raw), sent };
};

/** The `:pk` a Query asks for (marshalled or not yet, depending on where the document client translates). */
const queriedPartition = (input: Record<string, unknown>): string | undefined => {
  const pk = (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'] as
    | string
    | { S?: string }
    | undefined;
  return typeof pk === 'string' ? pk : pk?.S;
};

describe('buildEod worker against DynamoDB Local, with faults injected', () => {
  const run = randomUUID()
    .slice(0, 6)
    .toUpperCase()
    .replace(/[^0-9A-F]/g, '0');
  const symbol = `XW${run}`;
  // Crockford base32 (no I, L, O, U): hex digits are fine
  const idOf = (prefix: string, index: number) =>
    `${prefix}${run}${String(index).padStart(4, '0')}`.padEnd(26, '0');
  const sub = (index: number) => `eod-worker-${run}-${index}`;
  const portfolioId = (index: number) => idOf('01JEW', index);
  const seeded = createDocumentClient();

  /**
   * Every portfolio: DEPOSIT 1000 and BUY 5 @ 100 (no fees) on Monday 2026-03-02; the feed closes the symbol
   * at 110 on 2026-03-05 and 120 on 2026-03-06. The 2026-03-06 snapshot: cash 1000 − 5 × 100 = 500, the
   * position 5 × 120 = 600, net liquidation 1100. `withoutItem` portfolios get their trades but no PORTFOLIO item.
   */
  const seed = async (indexes: number[], withoutItem: number[] = []) => {
    const items: Record<string, unknown>[] = [];
    for (const index of indexes) {
      const pk = `USER#${sub(index)}#PORTFOLIO#${portfolioId(index)}`;
      if (!withoutItem.includes(index))
        items.push({
          pk: `USER#${sub(index)}`,
          sk: `PORTFOLIO#${portfolioId(index)}`,
          entity: 'PORTFOLIO',
          portfolioId: portfolioId(index),
          name: 'Worker',
          baseCurrency: 'USD',
          lotMethod: 'FIFO',
        });
      const trade = (sequence: number, fields: Record<string, unknown>) => {
        const tradeId = idOf(`01JET${sequence}`, index);
        return {
          pk,
          sk: `TRADE#${tradeId}`,
          entity: 'TRADE',
          ownerSub: sub(index),
          tradeId,
          portfolioId: portfolioId(index),
          currency: 'USD',
          tradeDate: '2026-03-02',
          status: 'ACTIVE',
          version: 1,
          createdAt: '2026-03-02T00:00:00.000Z',
          updatedAt: '2026-03-02T00:00:00.000Z',
          ...fields,
        };
      };
      items.push(trade(0, { type: 'DEPOSIT', amount: '1000' }));
      items.push(
        trade(1, {
          type: 'BUY',
          instrument: { assetClass: 'EQUITY', symbol, currency: 'USD', multiplier: '1' },
          quantity: '5',
          price: '100',
          fees: '0',
        }),
      );
    }
    await batchWriteAll(
      seeded,
      getEnvVariable('TRADES_TABLE'),
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  };

  beforeAll(async () => {
    await batchWriteAll(
      seeded,
      getEnvVariable('MARKET_DATA_TABLE'),
      [
        ['2026-03-05', '110'],
        ['2026-03-06', '120'],
      ].map(([date, close]) => ({
        PutRequest: {
          Item: priceCloseItem({
            scope: { kind: 'feed' },
            symbol,
            date: date as string,
            close: close as string,
            currency: 'USD',
            source: 'simulated',
          }),
        },
      })),
    );
  });

  const batchOf = (indexes: number[]) => ({
    from: '2026-03-06',
    to: '2026-03-06',
    portfolios: indexes.map((index) => ({ sub: sub(index), portfolioId: portfolioId(index) })),
  });
  const netLiquidations = async (indexes: number[]) => {
    const store = buildEodStore(seeded, getEnvVariable('EOD_TABLE'));
    return Promise.all(
      indexes.map(
        async (index) =>
          (await store.getSnapshot(sub(index), portfolioId(index), '2026-03-06'))?.netLiquidation,
      ),
    );
  };

  it('throttled settings reads (keys left unprocessed) and trades in one-item pages: every portfolio written', async () => {
    const indexes = [0, 1, 2, 3];
    await seed(indexes);
    let throttled = 0;
    let tradePages = 0;
    const { client, sent } = faultyClient({
      // DynamoDB pages a partition's items: here one a page, so every trade read follows LastEvaluatedKey
      request(operation, input) {
        if (operation === 'Query' && queriedPartition(input)?.includes('#PORTFOLIO#')) {
          input.Limit = 1;
          tradePages += 1;
        }
      },
      // the first two settings reads answer all but one key as unprocessed (what throttling does)
      response(operation, input, output) {
        const table = getEnvVariable('TRADES_TABLE');
        const asked = (input.RequestItems as Record<string, unknown> | undefined)?.[table];
        const found = (output.Responses as Record<string, Marshalled[]> | undefined)?.[table];
        if (operation !== 'BatchGetItem' || asked === undefined || found === undefined || throttled >= 2)
          return;
        throttled += 1;
        const [kept, ...left] = found;
        (output.Responses as Record<string, Marshalled[]>)[table] = kept === undefined ? [] : [kept];
        output.UnprocessedKeys = {
          [table]: { ...(asked as object), Keys: left.map(({ pk, sk }) => ({ pk, sk })) },
        };
      },
    });
    const answer = await buildHandler(() => eodBuildDeps(client))(batchOf(indexes));
    expect(answer).toEqual({ portfolios: 4, written: 4, days: 4, skipped: { deleted: 0, noTradesYet: 0 } });
    expect(throttled).toBe(2);
    // 2 trades a portfolio, one a page: 2 pages with an item, and a last empty one (no LastEvaluatedKey)
    expect(tradePages).toBe(3 * 4);
    // the states read: 1 found of 4, then 1 of 3, then the last 2
    expect(sent.filter((operation) => operation === 'BatchGetItem').length).toBeGreaterThanOrEqual(3);
    expect(await netLiquidations(indexes)).toEqual(['1100', '1100', '1100', '1100']);
  });

  it('a listed portfolio with trades but no PORTFOLIO item fails the invocation; the others are written', async () => {
    const indexes = [10, 11, 12];
    await seed(indexes, [11]);
    const { client } = faultyClient({});
    await expect(buildHandler(() => eodBuildDeps(client))(batchOf(indexes))).rejects.toThrow(
      'EOD build failed for 1 of 3 portfolios (2 written, 0 skipped)',
    );
    expect(await netLiquidations(indexes)).toEqual(['1100', undefined, '1100']);
  });

  it('a trades read that keeps failing fails its portfolio (Lambda retries, then parks); the others are written', async () => {
    const indexes = [20, 21, 22];
    await seed(indexes);
    const { client } = faultyClient({
      request(operation, input) {
        if (operation === 'Query' && queriedPartition(input)?.endsWith(portfolioId(21))) {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        }
      },
    });
    await expect(buildHandler(() => eodBuildDeps(client))(batchOf(indexes))).rejects.toThrow(
      'EOD build failed for 1 of 3 portfolios (2 written, 0 skipped)',
    );
    expect(await netLiquidations(indexes)).toEqual(['1100', undefined, '1100']);
  });

  it('settings that stay unreadable reject the whole batch: nothing is skipped silently, nothing written', async () => {
    const indexes = [30, 31];
    await seed(indexes);
    const { client } = faultyClient({
      response(operation, input, output) {
        const table = getEnvVariable('TRADES_TABLE');
        const asked = (input.RequestItems as Record<string, { Keys: unknown[] }> | undefined)?.[table];
        if (operation !== 'BatchGetItem' || asked === undefined) return;
        output.Responses = { [table]: [] };
        output.UnprocessedKeys = { [table]: asked };
      },
    });
    await expect(buildHandler(() => eodBuildDeps(client))(batchOf(indexes))).rejects.toBeInstanceOf(
      RetriesExhaustedError,
    );
    expect(await netLiquidations(indexes)).toEqual([undefined, undefined]);
  });

  it('a deleted portfolio (marked, or purged with its trades) is skipped as deleted, with the count answered', async () => {
    const indexes = [40, 41];
    await seed([40]);
    await seeded.send(
      new UpdateCommand({
        TableName: getEnvVariable('TRADES_TABLE'),
        Key: { pk: `USER#${sub(40)}`, sk: `PORTFOLIO#${portfolioId(40)}` },
        UpdateExpression: 'SET deletedAt = :now',
        ExpressionAttributeValues: { ':now': '2026-03-03T00:00:00.000Z' },
      }),
    );
    // 41 was never seeded: no PORTFOLIO item and no trade (purged)
    const answer = await buildHandler(() => eodBuildDeps(faultyClient({}).client))(batchOf(indexes));
    expect(answer).toEqual({ portfolios: 2, written: 0, days: 0, skipped: { deleted: 2, noTradesYet: 0 } });
  });
});
