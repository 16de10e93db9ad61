import { randomUUID } from 'node:crypto';
import { batchWriteAll, createDocumentClient, getEnvVariable } from '@kupala/trade-model';
import { buildEodStore } from '../../adapters/eod-store';
import { buildHandler } from './handler';

describe('backfillEodList against DynamoDB Local: the portfolios booked before the nightly list', () => {
  const client = createDocumentClient();
  const run = randomUUID().slice(0, 8);
  const sub = (index: number) => `eod-backfill-${run}-${index}`;
  const portfolioId = (index: number) => `01JEBF${String(index).padStart(20, '0')}`;
  const portfolio = (index: number, extra: Record<string, unknown> = {}) => ({
    pk: `USER#${sub(index)}`,
    sk: `PORTFOLIO#${portfolioId(index)}`,
    entity: 'PORTFOLIO',
    portfolioId: portfolioId(index),
    name: 'Before the list',
    baseCurrency: 'USD',
    lotMethod: 'FIFO',
    ...extra,
  });
  const listed = async () => {
    const found: string[] = [];
    for await (const item of buildEodStore(client, getEnvVariable('EOD_TABLE')).registeredPortfolios())
      if (item.sub.startsWith(`eod-backfill-${run}-`)) found.push(`${item.sub}#${item.portfolioId}`);
    return found.sort();
  };
  /** Invokes the backfill (from `cursor`) following its cursor to the end of the table. */
  const backfillAll = async (cursor?: string) => {
    const handler = buildHandler();
    let answer = await handler({ pages: 100, cursor });
    while (answer.cursor !== null) answer = await handler({ pages: 100, cursor: answer.cursor });
  };

  beforeAll(async () => {
    // 5 live portfolios, one marked deleted, and a trade item of the first (not a portfolio)
    const items = [
      ...[0, 1, 2, 3, 4].map((index) => portfolio(index)),
      portfolio(5, { deletedAt: '2026-03-01T00:00:00.000Z' }),
      {
        pk: `USER#${sub(0)}#PORTFOLIO#${portfolioId(0)}`,
        sk: 'TRADE#01JEBFTRADE000000000000000',
        entity: 'TRADE',
      },
    ];
    await batchWriteAll(
      client,
      getEnvVariable('TRADES_TABLE'),
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  });

  it('registers every live portfolio, page after page through its cursor, and is idempotent', async () => {
    expect(await listed()).toEqual([]);
    const live = [0, 1, 2, 3, 4].map((index) => `${sub(index)}#${portfolioId(index)}`).sort();
    // a first invocation of one Scan page of one item stops with a cursor (the table holds at least the 7 items
    // seeded here); the rest of the table is backfilled from that cursor, page after page, until it answers null
    const first = await buildHandler(undefined, 1)({ pages: 1 });
    expect(first.pages).toBe(1);
    expect(first.cursor).not.toBeNull();
    await backfillAll(first.cursor ?? undefined);
    expect(await listed()).toEqual(live);
    // again, in bigger steps: the same list (a portfolio is one list item however often it is put)
    await backfillAll();
    expect(await listed()).toEqual(live);
  }, 120_000);

  it('refuses a forged cursor and an unbounded page count', async () => {
    const handler = buildHandler();
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#x', sk: 'PORTFOLIO#y', extra: 'z' })).toString(
      'base64url',
    );
    await expect(handler({ cursor: forged })).rejects.toThrow('Request is invalid');
    await expect(handler({ pages: 101 })).rejects.toThrow('Not a backfill request');
    await expect(handler({ pages: 0 })).rejects.toThrow('Not a backfill request');
  });
});
