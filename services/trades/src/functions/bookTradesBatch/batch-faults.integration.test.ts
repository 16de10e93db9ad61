import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import {
  type FaultPlan,
  faultyDocumentClient,
  throttled,
  tradesEffectsOn,
} from '../../testing/faulty-client';
import { entityCounts, partitionItems } from '../../testing/partition';
import { bookBatchRequest, numberedDeposits as deposits, tradesApi } from '../../testing/requests';
import { buildHandler } from './handler';

// DynamoDB Local on a shared 2-core machine: hundreds of trades take seconds, not milliseconds
jest.setTimeout(60_000);

type TransactInput = TransactWriteCommand['input'];
const transactItems = (command: unknown) =>
  ((command as { input: TransactInput }).input.TransactItems ?? []) as Record<string, unknown>[];
const isStaging = (command: unknown) =>
  transactItems(command).some(
    (item) => (item.Put as { Item?: { entity?: string } } | undefined)?.Item?.entity === 'STAGED_TRADE',
  );
const isCommit = (command: unknown) => transactItems(command).some((item) => item.Update !== undefined);

/** Fails, on every attempt, the n-th distinct transaction that `which` selects. */
const failNth = (which: (command: unknown) => boolean, nth: number): FaultPlan => {
  const seen: unknown[] = [];
  return (name, _call, command) => {
    if (name !== 'TransactWriteCommand' || !which(command)) return undefined;
    // retries send the same command object again: count distinct chunks, fail every attempt of the n-th
    const items = transactItems(command);
    if (!seen.includes(items)) seen.push(items);
    return seen.indexOf(items) === nth - 1 ? throttled() : undefined;
  };
};

describe('POST …/trades/batch under faults (DynamoDB Local, injected throttling)', () => {
  let token: string;
  let api: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`batch-faults-${Date.now()}`);
    api = tradesApi(token);
  });
  const post = (
    handler: ReturnType<typeof buildHandler>,
    portfolioId: string,
    trades: unknown[],
    key: string,
  ) => invoke(handler, bookBatchRequest(token, portfolioId, trades, { 'Idempotency-Key': key }));
  const listed = async (portfolioId: string) =>
    ((await api.list(portfolioId, { limit: '500' })).body as { items: { tradeId: string; amount: string }[] })
      .items;

  it('a second staging chunk that keeps failing leaves nothing behind; the retry books every trade once', async () => {
    const portfolioId = await api.createPortfolio();
    const trades = deposits(120, 'STG'); // staged as 49 + 49 + 22 trades
    const faulty = faultyDocumentClient(failNth(isStaging, 2));
    const failed = await post(
      buildHandler(tradesEffectsOn(faulty.client)),
      portfolioId,
      trades,
      'stage-fault-1',
    );

    expect(failed.statusCode).toBe(503);
    expect((failed.body as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    expect(failed.headers['retry-after']).toBe('1');
    // nothing visible, and nothing left over either: no staged trade, broker-id marker or batch record
    expect(await listed(portfolioId)).toEqual([]);
    expect(await partitionItems(token, portfolioId)).toEqual([]);
    const retried = await post(buildHandler(), portfolioId, trades, 'stage-fault-1');
    expect(retried.statusCode).toBe(201);
    const body = retried.body as { items: { tradeId: string }[]; resumed: boolean };
    // the failed attempt left nothing to resume: the retry is a fresh booking of the whole batch
    expect(body.resumed).toBe(false);
    expect(body.items).toHaveLength(120);
    const visible = await listed(portfolioId);
    expect(visible).toHaveLength(120);
    expect(new Set(visible.map((trade) => trade.tradeId)).size).toBe(120);
    // amounts 1..120 once each: 120 x 121 / 2 = 7260
    expect(visible.reduce((sum, trade) => sum + Number(trade.amount), 0)).toBe(7260);
  });

  it('a commit that fails half way is finished exactly once by a retry with the same key (resumed)', async () => {
    const portfolioId = await api.createPortfolio();
    const trades = deposits(150, 'CMT'); // committed as 100 + 50 trades
    const faulty = faultyDocumentClient(failNth(isCommit, 2));
    const failed = await post(
      buildHandler(tradesEffectsOn(faulty.client)),
      portfolioId,
      trades,
      'commit-fault-1',
    );
    expect(failed.statusCode).toBe(503);
    const raw = await partitionItems(token, portfolioId);
    // the first 100 are committed, the other 50 still staged and invisible, the batch waits for its retry
    expect(entityCounts(raw)).toEqual({ TRADE: 100, STAGED_TRADE: 50, EXTERNAL_ID: 150, TRADE_BATCH: 1 });
    expect(raw.find((item) => item.entity === 'TRADE_BATCH')?.state).toBe('COMMITTING');
    const stagedId = String(raw.find((item) => item.entity === 'STAGED_TRADE')?.tradeId);
    expect((await api.get(portfolioId, stagedId)).statusCode).toBe(404);
    const partial = await listed(portfolioId);
    expect(partial).toHaveLength(100);

    // the same key with another body is refused: that batch is half committed
    const other = await post(buildHandler(), portfolioId, deposits(2, 'OTHER'), 'commit-fault-1');
    expect(other.statusCode).toBe(409);

    const retried = await post(buildHandler(), portfolioId, trades, 'commit-fault-1');
    expect(retried.statusCode).toBe(201);
    const body = retried.body as { items: { tradeId: string; amount: string }[]; resumed: boolean };
    expect(body.resumed).toBe(true);
    const visible = await listed(portfolioId);
    expect(visible).toHaveLength(150);
    // the very trades the first attempt staged: same ids, none twice
    expect(new Set(visible.map((trade) => trade.tradeId))).toEqual(
      new Set(body.items.map((trade) => trade.tradeId)),
    );
    expect(body.items.map((trade) => trade.tradeId)).toEqual(
      expect.arrayContaining(partial.map((trade) => trade.tradeId)),
    );
    // amounts 1..150 once each: 150 x 151 / 2 = 11325
    expect(visible.reduce((sum, trade) => sum + Number(trade.amount), 0)).toBe(11325);
    expect(entityCounts(await partitionItems(token, portfolioId))).toEqual({
      TRADE: 150,
      EXTERNAL_ID: 150,
      TRADE_BATCH: 1,
    });

    // a replay answers the stored response and books nothing
    const replay = await post(buildHandler(), portfolioId, trades, 'commit-fault-1');
    expect(replay.statusCode).toBe(201);
    expect(await listed(portfolioId)).toHaveLength(150);
  });

  it('a repeated broker id found in a later chunk undoes the earlier chunks', async () => {
    const portfolioId = await api.createPortfolio();
    expect((await api.book(portfolioId, deposits(1, 'DUP')[0])).statusCode).toBe(201);
    const trades = [...deposits(100, 'NEW'), ...deposits(1, 'DUP')]; // the repeat is in the third chunk
    const response = await post(buildHandler(), portfolioId, trades, 'dup-1');
    expect(response.statusCode).toBe(409);
    expect((response.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'trades.100.externalId',
    );
    expect(await listed(portfolioId)).toHaveLength(1);
    expect(entityCounts(await partitionItems(token, portfolioId))).toEqual({ TRADE: 1, EXTERNAL_ID: 1 });
  });
});
