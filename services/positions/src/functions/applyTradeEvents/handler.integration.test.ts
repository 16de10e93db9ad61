import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDocumentClient, Decimal, instrumentKey, type Trade } from '@kupala/trade-model';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { rateOn } from '../../adapters/market-data-reader';
import { buildPortfoliosReader } from '../../adapters/portfolios-reader';
import { buildPositionsStore } from '../../adapters/positions-store';
import type { TradeEventsDeps } from '../../domain/apply-trade-events';
import { type LotEngine, orderKeyOf } from '../../domain/engine';
import { engine as lotEngine } from '../../positionsSideEffects';
import { type RecordingState, recordingEngine } from '../../testing/recording-engine';
import { buildHandler } from './handler';

const TRADES_TABLE = process.env.TRADES_TABLE ?? 'kupala-test-trades';
const POSITIONS_TABLE = process.env.POSITIONS_TABLE ?? 'kupala-test-positions';
const SUB = 'model-user';
const INSTRUMENTS = [
  { assetClass: 'EQUITY' as const, symbol: 'AAA', currency: 'USD' },
  { assetClass: 'EQUITY' as const, symbol: 'BBB', currency: 'USD' },
];
const DATES = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'];

/** A client whose `failAt`-th write (Put, Update, Delete, batch or transaction) throws, once. */
const faultyClient = (client: DynamoDBDocumentClient, failAt: number) => {
  let writes = 0;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { constructor: { name: string } }) => {
        if (/^(Put|Update|Delete|BatchWrite|TransactWrite)Command$/.test(command.constructor.name)) {
          writes += 1;
          if (writes === failAt) throw new Error(`injected failure of write ${failAt}`);
        }
        return target.send(command as never);
      };
    },
  }) as DynamoDBDocumentClient;
};

/** A client whose first `times` batch writes that delete (collections of superseded items) throw. */
const failingDeletes = (client: DynamoDBDocumentClient, times: number) => {
  const seen = { refused: 0 };
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { constructor: { name: string }; input: { RequestItems?: object } }) => {
        const deletes =
          command.constructor.name === 'BatchWriteCommand' &&
          JSON.stringify(command.input.RequestItems ?? {}).includes('DeleteRequest');
        if (deletes && seen.refused < times) {
          seen.refused += 1;
          throw new Error('injected failure of a collection');
        }
        return target.send(command as never);
      };
    },
  }) as DynamoDBDocumentClient;
  return { client: proxy, seen };
};

/**
 * A client that answers "busy" the way DynamoDB does while another writer holds the items: its first
 * `conflicts` transactions are cancelled with a TransactionConflict reason, and its first plain Update
 * throws TransactionConflictException. Nothing is written by a refused call.
 */
const conflictingClient = (client: DynamoDBDocumentClient, conflicts: number) => {
  let transactions = 0;
  let updates = 0;
  const seen = { transactions: 0, updates: 0 };
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { constructor: { name: string }; input: { TransactItems?: unknown[] } }) => {
        if (command.constructor.name === 'TransactWriteCommand') {
          transactions += 1;
          seen.transactions = transactions;
          if (transactions <= conflicts) {
            throw Object.assign(new Error('Transaction cancelled [None, TransactionConflict]'), {
              name: 'TransactionCanceledException',
              CancellationReasons: (command.input.TransactItems ?? []).map((_, index) => ({
                Code: index === 1 ? 'TransactionConflict' : 'None',
              })),
            });
          }
        }
        if (command.constructor.name === 'UpdateCommand') {
          updates += 1;
          seen.updates = updates;
          if (updates === 1) {
            throw Object.assign(new Error('Transaction is ongoing for the item'), {
              name: 'TransactionConflictException',
            });
          }
        }
        return target.send(command as never);
      };
    },
  }) as DynamoDBDocumentClient;
  return { client: proxy, seen };
};

/** The model user's portfolio item (USD, FIFO), as the trades service stores it. */
const putPortfolio = (client: DynamoDBDocumentClient, portfolioId: string) =>
  client.send(
    new PutCommand({
      TableName: TRADES_TABLE,
      Item: {
        pk: `USER#${SUB}`,
        sk: `PORTFOLIO#${portfolioId}`,
        entity: 'PORTFOLIO',
        baseCurrency: 'USD',
        lotMethod: 'FIFO',
      },
    }),
  );

const depsWith = (
  client: DynamoDBDocumentClient,
  published: string[],
  engine: LotEngine = recordingEngine,
): TradeEventsDeps => ({
  engine,
  store: buildPositionsStore(client, POSITIONS_TABLE),
  portfolios: buildPortfoliosReader(client, TRADES_TABLE),
  rates: { ratesOfPair: async () => new Map() },
  rateOn,
  prices: { latestPrice: async () => undefined },
  publisher: {
    positionsChanged: async (sub, portfolioId) => {
      published.push(`${sub}/${portfolioId}`);
    },
  },
  follower: { follow: async () => undefined },
  sleep: async () => undefined,
});

type Body = Pick<Trade, 'type' | 'tradeDate'> & { instrument?: number; quantity: number; price: number };
const bodyArbitrary: fc.Arbitrary<Body> = fc.record({
  type: fc.constantFrom<Trade['type']>('BUY', 'BUY', 'SELL', 'DEPOSIT'),
  tradeDate: fc.constantFrom(...DATES),
  instrument: fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }),
  quantity: fc.integer({ min: 1, max: 9 }),
  price: fc.integer({ min: 1, max: 9 }),
});
/** Each trade: its booking, then amends (new bodies) and maybe a final cancel. */
const historyArbitrary = fc.record({
  versions: fc.array(bodyArbitrary, { minLength: 1, maxLength: 3 }),
  cancelled: fc.boolean(),
});

const tradeOf = (
  portfolioId: string,
  index: number,
  version: number,
  body: Body,
  cancelled: boolean,
): Trade => {
  const id = `01J00000000000000000000${String(index).padStart(3, '0')}`;
  const common = {
    tradeId: id,
    portfolioId,
    currency: 'USD',
    tradeDate: body.tradeDate,
    status: cancelled ? ('CANCELLED' as const) : ('ACTIVE' as const),
    version,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  if (body.type === 'DEPOSIT') return { ...common, type: 'DEPOSIT', amount: String(body.quantity * 100) };
  const instrument = INSTRUMENTS[body.instrument ?? 0] ?? INSTRUMENTS[0];
  return {
    ...common,
    type: body.type,
    instrument: { ...instrument, multiplier: '1' } as Trade['instrument'] & object,
    quantity: String(body.quantity),
    price: String(body.price),
  };
};

/** The Trades-table item of a trade version, as trades-store writes it. */
const itemOf = (sub: string, trade: Trade) => ({
  pk: `USER#${sub}#PORTFOLIO#${trade.portfolioId}`,
  sk: `TRADE#${trade.tradeId}`,
  entity: 'TRADE',
  ownerSub: sub,
  ...trade,
});

let sequence = 1000;
/** A stream record of a trade version, as DynamoDB Streams delivers it (NEW_AND_OLD_IMAGES). */
const recordOf = (sub: string, trade: Trade, previous: Trade | undefined) => {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName: previous === undefined ? ('INSERT' as const) : ('MODIFY' as const),
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence),
      Keys: marshall({ pk: `USER#${sub}#PORTFOLIO#${trade.portfolioId}`, sk: `TRADE#${trade.tradeId}` }),
      NewImage: marshall(itemOf(sub, trade), { removeUndefinedValues: true }) as Record<
        string,
        AttributeValue
      >,
      ...(previous === undefined
        ? {}
        : {
            OldImage: marshall(itemOf(sub, previous), { removeUndefinedValues: true }) as Record<
              string,
              AttributeValue
            >,
          }),
      StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
    },
  };
};
type StreamRecord = ReturnType<typeof recordOf>;

const partitionItems = async (client: DynamoDBDocumentClient, portfolioId: string) => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: POSITIONS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${SUB}#PORTFOLIO#${portfolioId}` },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

/** The visible figures: each position's applied trades, visible closed lots, cash. */
const visible = async (client: DynamoDBDocumentClient, portfolioId: string) => {
  const store = buildPositionsStore(client, POSITIONS_TABLE);
  const positions = await store.listPositions(SUB, portfolioId);
  const closed = await store.listClosedLots(SUB, portfolioId, {}, { limit: 500, cursor: undefined });
  const cash = await store.listCash(SUB, portfolioId);
  return {
    applied: Object.fromEntries(
      positions.map((position) => [position.instrumentKey, (position.state as RecordingState).applied]),
    ),
    closed: closed.items.map((lot) => `${lot.instrumentKey}/${lot.closeTradeId}`),
    cash: Object.fromEntries(
      cash.map((balance) => [balance.currency, new Decimal(balance.balance).toFixed()]),
    ),
  };
};

/** What a position shows must always agree with the applied-trade mirror (they commit atomically). */
const expectConsistentWithMirror = async (client: DynamoDBDocumentClient, portfolioId: string) => {
  const items = await partitionItems(client, portfolioId);
  const mirror = items
    .filter((item) => item.entity === 'APPLIED_TRADE')
    .map((item) => ({ instrumentKey: item.instrumentKey, trade: JSON.parse(String(item.trade)) as Trade }));
  const seen = await visible(client, portfolioId);
  // the view items GET positions reads commit with the states: the recording engine's summary is its state
  const store = buildPositionsStore(client, POSITIONS_TABLE);
  const views = await store.listPositionViews(SUB, portfolioId);
  expect(
    Object.fromEntries(views.map((view) => [view.instrumentKey, (view.summary as RecordingState).applied])),
  ).toEqual(seen.applied);
  for (const [key, applied] of Object.entries(seen.applied)) {
    const expected = mirror
      .filter((item) => item.instrumentKey === key)
      .sort((a, b) => orderKeyOf(a.trade).localeCompare(orderKeyOf(b.trade)))
      .map((item) => `${item.trade.tradeId}@${item.trade.version}`);
    expect({ key, applied }).toEqual({ key, applied: expected });
  }
  const cash = mirror
    .filter((item) => item.trade.status === 'ACTIVE')
    .flatMap((item) => recordingEngine.cashEffects(item.trade))
    .reduce((total, effect) => total.plus(effect.amount), new Decimal(0));
  expect(new Decimal(seen.cash.USD ?? '0').toFixed()).toBe(cash.toFixed());
};

describe('Trades stream consumer against DynamoDB Local (model-based: any delivery equals the fold of the unique latest events)', () => {
  const client = createDocumentClient();

  it('converges to the fold of the latest version of each trade, whatever the batches, duplicates, stale redeliveries, failures and concurrent re-drives', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(historyArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat({ max: 99 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 25 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (histories, interleave, batchSize, redeliver, failAt, racing) => {
          run += 1;
          const portfolioId = `01JM0DE1${String(Date.now()).slice(-8)}${String(run).padStart(10, '0')}`.slice(
            0,
            26,
          );
          await putPortfolio(client, portfolioId);
          // every trade's versions in order; trades interleaved as `interleave` picks
          const versions = histories.map((history, index) => [
            ...history.versions.map((body, v) => tradeOf(portfolioId, index, v + 1, body, false)),
            ...(history.cancelled
              ? [
                  tradeOf(
                    portfolioId,
                    index,
                    history.versions.length + 1,
                    history.versions.at(-1) as Body,
                    true,
                  ),
                ]
              : []),
          ]);
          const cursor = versions.map(() => 0);
          const records: StreamRecord[] = [];
          for (let step = 0; records.length < versions.flat().length; step += 1) {
            const open = versions
              .map((_, index) => index)
              .filter((index) => (cursor[index] ?? 0) < (versions[index]?.length ?? 0));
            const index = open[(interleave[step % interleave.length] ?? 0) % open.length] ?? 0;
            const at = cursor[index] ?? 0;
            const trade = versions[index]?.[at] as Trade;
            records.push(recordOf(SUB, trade, at === 0 ? undefined : versions[index]?.[at - 1]));
            cursor[index] = at + 1;
          }
          // redeliveries: earlier records (duplicates, now stale) delivered again after the rest
          const delivered = [
            ...records,
            ...redeliver.map((pick) => records[pick % records.length] as StreamRecord),
          ];

          const published: string[] = [];
          const deps = depsWith(faultyClient(client, failAt), published);
          const handler = buildHandler(() => deps);
          // a re-drive of the same batch by a parallel invocation (a manual replay, the failure queue, a
          // ParallelizationFactor above 1), on the batches `racing` picks: both derive the same positions at once
          const racer = buildHandler(() => depsWith(client, []));
          for (let start = 0; start < delivered.length; start += batchSize) {
            let batch = delivered.slice(start, start + batchSize);
            const raced = racing[(start / batchSize) % racing.length] === true;
            for (let attempt = 0; batch.length > 0; attempt += 1) {
              if (attempt > 5) throw new Error('the batch did not converge');
              const [result] = await Promise.all([
                handler({ Records: batch } as DynamoDBStreamEvent),
                // whatever the racer does not finish, the main delivery's retries cover (the same records)
                ...(raced && attempt === 0 ? [racer({ Records: batch } as DynamoDBStreamEvent)] : []),
              ]);
              // whatever failed, nothing half-written is visible
              await expectConsistentWithMirror(client, portfolioId);
              const lowest = result.batchItemFailures[0]?.itemIdentifier;
              // Lambda redelivers from the lowest reported record on
              batch =
                lowest === undefined
                  ? []
                  : batch.slice(batch.findIndex((r) => r.dynamodb.SequenceNumber === lowest));
            }
          }

          const latest = versions
            .map((list) => list.at(-1) as Trade)
            .filter((trade) => trade.status === 'ACTIVE');
          const expectedApplied: Record<string, string[]> = {};
          for (const trade of [...latest].sort((a, b) => orderKeyOf(a).localeCompare(orderKeyOf(b)))) {
            if (trade.instrument === undefined) continue;
            const key = instrumentKey(trade.instrument);
            expectedApplied[key] = [...(expectedApplied[key] ?? []), `${trade.tradeId}@${trade.version}`];
          }
          const seen = await visible(client, portfolioId);
          // positions that lost all their trades stay listed with nothing applied
          const nonEmpty = Object.fromEntries(
            Object.entries(seen.applied).filter(([, applied]) => applied.length > 0),
          );
          expect(nonEmpty).toEqual(expectedApplied);
          const expectedClosed = [...latest]
            .filter((trade) => trade.type === 'SELL')
            .sort((a, b) => orderKeyOf(a).localeCompare(orderKeyOf(b)))
            .map(
              (trade) =>
                `${instrumentKey(trade.instrument as NonNullable<Trade['instrument']>)}/${trade.tradeId}`,
            );
          expect(seen.closed).toEqual(expectedClosed);
          // cash: BUY -q*p, SELL +q*p, DEPOSIT +amount over the latest active versions only
          const expectedCash = latest
            .flatMap((trade) => recordingEngine.cashEffects(trade))
            .reduce((total, effect) => total.plus(effect.amount), new Decimal(0));
          expect(new Decimal(seen.cash.USD ?? '0').toFixed()).toBe(expectedCash.toFixed());
          expect(published.every((entry) => entry === `${SUB}/${portfolioId}`)).toBe(true);
        },
      ),
      {
        numRuns: Number(process.env.FC_RUNS ?? 25),
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), endOnFailure: true } : {}),
      },
    );
  }, 600_000);

  it('retries a commit that conflicts with another writer of the same items (capped back-off), then applies once', async () => {
    const portfolioId = `01JC0NF1${String(Date.now()).slice(-8)}0000000000`.slice(0, 26);
    await putPortfolio(client, portfolioId);
    const buy = tradeOf(
      portfolioId,
      1,
      1,
      { type: 'BUY', tradeDate: DATES[0] as string, quantity: 3, price: 5 },
      false,
    );
    const sell = tradeOf(
      portfolioId,
      2,
      1,
      { type: 'SELL', tradeDate: DATES[1] as string, quantity: 1, price: 7 },
      false,
    );
    const published: string[] = [];
    const waits: number[] = [];
    // two cancelled transactions: the shared transactWrite retries them; the first Update (a generation's
    // begin, racing the same way) throws: the consumer's own capped loop derives again
    const { client: busy, seen } = conflictingClient(client, 2);
    const deps = { ...depsWith(busy, published), sleep: async (attempt: number) => void waits.push(attempt) };
    const handler = buildHandler(() => deps);

    const result = await handler({ Records: [recordOf(SUB, buy, undefined)] } as DynamoDBStreamEvent);
    const second = await handler({ Records: [recordOf(SUB, sell, undefined)] } as DynamoDBStreamEvent);

    expect([result.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(seen.transactions).toBeGreaterThanOrEqual(4); // 2 refused + one commit per batch
    expect(seen.updates).toBeGreaterThanOrEqual(1);
    expect(waits).toEqual([1]); // the consumer's loop backed off once, after the refused Update
    await expectConsistentWithMirror(client, portfolioId);
    const state = await visible(client, portfolioId);
    // each trade applied exactly once: cash -3 x 5 + 1 x 7 = -8, the sale closed one lot
    expect(state.applied).toEqual({ 'EQUITY:AAA:USD': [`${buy.tradeId}@1`, `${sell.tradeId}@1`] });
    expect(state.closed).toEqual([`EQUITY:AAA:USD/${sell.tradeId}`]);
    expect(new Decimal(state.cash.USD ?? '0').toFixed()).toBe('-8');
    expect(published).toEqual([`${SUB}/${portfolioId}`, `${SUB}/${portfolioId}`]);
  });

  it('a checkpoint taken inside a batch keeps the state at its own trade: a later back-dated amend replays from it', async () => {
    // the real lot engine (it updates a state in place; the recording engine returns new ones and cannot show this)
    // 60 BUYs of one instrument on distinct days in ONE batch: the engine updates its state in place, and the
    // consumer checkpoints every 50 trades, so the checkpoint at trade 50 must be a copy (not the batch's final
    // state at trade 60, stored under trade 50's key). Then an amend of trade 55 re-derives from that checkpoint:
    // with a shared state it replays 51.. onto a state already at 60 and is refused as out of order.
    const portfolioId = `01JM0DECKP${String(Date.now()).slice(-8)}00000000`.slice(0, 26);
    await putPortfolio(client, portfolioId);
    const day = (index: number) => new Date(Date.UTC(2025, 0, 1 + index)).toISOString().slice(0, 10);
    const body = (index: number, quantity = 1): Body => ({
      type: 'BUY',
      tradeDate: day(index),
      instrument: 0,
      quantity,
      price: 2,
    });
    const trades = Array.from({ length: 60 }, (_, index) =>
      tradeOf(portfolioId, index, 1, body(index), false),
    );
    const published: string[] = [];
    const handler = buildHandler(() => depsWith(client, published, lotEngine));
    const first = await handler({
      Records: trades.map((trade) => recordOf(SUB, trade, undefined)),
    } as DynamoDBStreamEvent);
    expect(first.batchItemFailures).toEqual([]);
    const amended = tradeOf(portfolioId, 54, 2, body(54, 3), false);
    const second = await handler({ Records: [recordOf(SUB, amended, trades[54])] } as DynamoDBStreamEvent);
    expect(second.batchItemFailures).toEqual([]);
    // 59 lots of 1 and the amended lot of 3, each at 2: 62 units costing 124, in date order
    const [position] = await buildPositionsStore(client, POSITIONS_TABLE).listPositions(SUB, portfolioId);
    const lots = lotEngine.openLots(position?.state as never);
    expect(lots).toHaveLength(60);
    expect(lots.reduce((total, lot) => total.plus(lot.quantity), new Decimal(0)).toFixed()).toBe('62');
    expect(lots[54]?.quantity).toBe('3');
    expect(lots.map((lot) => lot.openDate)).toEqual(trades.map((trade) => trade.tradeDate));
  });

  it('a superseded closed lot stays gone when its collection fails and a later trade moves the generation on', async () => {
    // BUY day 1, SELL day 2; the SELL is amended to day 3 (its day-2 lot is superseded, not yet deleted); a BUY
    // on day 4 follows, and the deletion of the superseded lot fails once. Items before a position's
    // `closedFrom` count as current: had the BUY's commit moved it past the day-2 lot without collecting it,
    // that lot would show again beside the day-3 one.
    const portfolioId = `01JM0DEGC0${String(Date.now()).slice(-8)}00000000`.slice(0, 26);
    await putPortfolio(client, portfolioId);
    const body = (type: Body['type'], day: number): Body => ({
      type,
      tradeDate: DATES[day] as string,
      instrument: 0,
      quantity: 1,
      price: 2,
    });
    const buy = tradeOf(portfolioId, 1, 1, body('BUY', 0), false);
    const sell = tradeOf(portfolioId, 2, 1, body('SELL', 1), false);
    const moved = tradeOf(portfolioId, 2, 2, body('SELL', 2), false);
    const later = tradeOf(portfolioId, 3, 1, body('BUY', 3), false);
    const { client: flaky, seen } = failingDeletes(client, 1);
    const handler = buildHandler(() => depsWith(flaky, []));
    const deliver = (records: StreamRecord[]) => handler({ Records: records } as DynamoDBStreamEvent);

    expect(
      (await deliver([recordOf(SUB, buy, undefined), recordOf(SUB, sell, undefined)])).batchItemFailures,
    ).toEqual([]);
    expect((await deliver([recordOf(SUB, moved, sell)])).batchItemFailures).toEqual([]);
    const record = recordOf(SUB, later, undefined);
    const failed = await deliver([record]);
    // the collection failed: nothing of the BUY committed, and the redelivery applies it
    expect(seen.refused).toBe(1);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb.SequenceNumber }]);
    expect((await visible(client, portfolioId)).applied).toEqual({
      'EQUITY:AAA:USD': [`${buy.tradeId}@1`, `${moved.tradeId}@2`],
    });
    await expectConsistentWithMirror(client, portfolioId);
    expect((await deliver([record])).batchItemFailures).toEqual([]);

    const state = await visible(client, portfolioId);
    expect(state.applied).toEqual({
      'EQUITY:AAA:USD': [`${buy.tradeId}@1`, `${moved.tradeId}@2`, `${later.tradeId}@1`],
    });
    expect(state.closed).toEqual([`EQUITY:AAA:USD/${moved.tradeId}`]);
    // and the superseded lot is gone from the table, not only hidden
    const lots = (await partitionItems(client, portfolioId)).filter((item) => item.entity === 'CLOSED_LOT');
    expect(lots.map((item) => JSON.parse(String(item.lot)).closeDate)).toEqual([DATES[2]]);
  });
});

/** A promise released by hand, and a signal that a gated call has reached its gate. */
const gate = () => {
  let open: () => void = () => undefined;
  let arrive: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { released, reached, open, arrive };
};

/** deps whose first call of `method` on the store waits at the gate (the rest of the store is the real one). */
const pausedAt = (
  deps: TradeEventsDeps,
  method: 'writeDerived' | 'commit',
  at: ReturnType<typeof gate>,
): TradeEventsDeps => {
  let paused = false;
  const real = deps.store[method] as (...args: unknown[]) => Promise<void>;
  return {
    ...deps,
    store: {
      ...deps.store,
      [method]: async (...args: unknown[]) => {
        if (!paused) {
          paused = true;
          at.arrive();
          await at.released;
        }
        return real(...args);
      },
    },
  };
};

describe('Trades stream consumer: concurrent derivations of one position (deterministic interleavings against DynamoDB Local)', () => {
  const client = createDocumentClient();
  const body = (type: Body['type'], day: number, quantity = 1): Body => ({
    type,
    tradeDate: DATES[day] as string,
    instrument: 0,
    quantity,
    price: 2,
  });
  const newPortfolio = async (tag: string) => {
    const portfolioId = `01JRACE${tag}${String(Date.now()).slice(-8)}000000000000`.slice(0, 26);
    await putPortfolio(client, portfolioId);
    return portfolioId;
  };
  const closedLotItems = async (portfolioId: string) =>
    (await partitionItems(client, portfolioId)).filter((item) => item.entity === 'CLOSED_LOT');

  it('two creators of a new position: the loser, writing its closed lot after the winner and a later trade committed, leaves nothing visible', async () => {
    const portfolioId = await newPortfolio('NEW1');
    const buy = tradeOf(portfolioId, 1, 1, body('BUY', 0, 3), false);
    const sell = tradeOf(portfolioId, 2, 1, body('SELL', 1), false);
    const later = tradeOf(portfolioId, 3, 1, body('BUY', 3), false);
    const records = [recordOf(SUB, buy, undefined), recordOf(SUB, sell, undefined)];
    const at = gate();
    // the loser: the same two records (a re-drive), paused just before it writes its derived items
    const loser = buildHandler(() => pausedAt(depsWith(client, []), 'writeDerived', at));
    const racing = loser({ Records: records } as DynamoDBStreamEvent);
    await at.reached;
    const handler = buildHandler(() => depsWith(client, []));
    expect((await handler({ Records: records } as DynamoDBStreamEvent)).batchItemFailures).toEqual([]);
    // a later trade moves the position's `closedFrom` past the sale's date
    const next = await handler({ Records: [recordOf(SUB, later, undefined)] } as DynamoDBStreamEvent);
    expect(next.batchItemFailures).toEqual([]);
    at.open();
    expect((await racing).batchItemFailures).toEqual([]);

    const state = await visible(client, portfolioId);
    expect(state.applied).toEqual({
      'EQUITY:AAA:USD': [`${buy.tradeId}@1`, `${sell.tradeId}@1`, `${later.tradeId}@1`],
    });
    // one sale, one closed lot: the loser's copy is neither visible nor left in the table
    expect(state.closed).toEqual([`EQUITY:AAA:USD/${sell.tradeId}`]);
    expect(await closedLotItems(portfolioId)).toHaveLength(1);
    // cash: -3 x 2 + 1 x 2 - 1 x 2 = -6
    expect(state.cash.USD).toBe('-6');
    await expectConsistentWithMirror(client, portfolioId);
  });

  it('two creators of a new position: the loser, whose items landed before the winner committed, collects them before it returns', async () => {
    const portfolioId = await newPortfolio('NEW2');
    const buy = tradeOf(portfolioId, 1, 1, body('BUY', 0, 3), false);
    const sell = tradeOf(portfolioId, 2, 1, body('SELL', 1), false);
    const records = [recordOf(SUB, buy, undefined), recordOf(SUB, sell, undefined)];
    const at = gate();
    // the loser writes its closed lot, then waits just before its commit
    const loser = buildHandler(() => pausedAt(depsWith(client, []), 'commit', at));
    const racing = loser({ Records: records } as DynamoDBStreamEvent);
    await at.reached;
    const handler = buildHandler(() => depsWith(client, []));
    expect((await handler({ Records: records } as DynamoDBStreamEvent)).batchItemFailures).toEqual([]);
    at.open();
    expect((await racing).batchItemFailures).toEqual([]);

    expect((await visible(client, portfolioId)).closed).toEqual([`EQUITY:AAA:USD/${sell.tradeId}`]);
    expect(await closedLotItems(portfolioId)).toHaveLength(1);
    await expectConsistentWithMirror(client, portfolioId);
  });

  it('a generation replaced while pending stays invisible when the derivation that replaced it stops before collecting it', async () => {
    const portfolioId = await newPortfolio('ABND');
    const buy = tradeOf(portfolioId, 1, 1, body('BUY', 0, 3), false);
    const buyLater = tradeOf(portfolioId, 2, 1, body('BUY', 2), false);
    const sell = tradeOf(portfolioId, 3, 1, body('SELL', 1), false);
    const deliver = (dynamo: DynamoDBDocumentClient, trades: Trade[]) =>
      buildHandler(() => depsWith(dynamo, []))({
        Records: trades.map((trade) => recordOf(SUB, trade, undefined)),
      } as DynamoDBStreamEvent);
    // BUY day 1 and BUY day 3: the position's `closedFrom` is day 3
    expect((await deliver(client, [buy])).batchItemFailures).toEqual([]);
    expect((await deliver(client, [buyLater])).batchItemFailures).toEqual([]);
    // a back-dated SELL on day 2: its derivation registers its generation (write 1), writes the closed lot
    // (write 2) and dies at its commit (write 3) without a refusal, so its lot stays, under a pending generation
    expect((await deliver(faultyClient(client, 3), [sell])).batchItemFailures).toHaveLength(1);
    expect((await visible(client, portfolioId)).closed).toEqual([]);
    // its redelivery registers a new generation, then dies collecting: the dead one's day-2 lot lies before
    // `closedFrom` and its generation is no longer the pending one, yet it must not count
    const { client: flaky, seen } = failingDeletes(client, 1);
    expect((await deliver(flaky, [sell])).batchItemFailures).toHaveLength(1);
    expect(seen.refused).toBe(1);
    expect((await visible(client, portfolioId)).closed).toEqual([]);
    await expectConsistentWithMirror(client, portfolioId);
    expect(await closedLotItems(portfolioId)).toHaveLength(1);
    // the next redelivery collects both dead generations and commits one closed lot
    expect((await deliver(client, [sell])).batchItemFailures).toEqual([]);
    expect((await visible(client, portfolioId)).closed).toEqual([`EQUITY:AAA:USD/${sell.tradeId}`]);
    expect(await closedLotItems(portfolioId)).toHaveLength(1);
    const [position] = await buildPositionsStore(client, POSITIONS_TABLE).listPositions(SUB, portfolioId);
    expect([position?.pending, position?.abandoned]).toEqual([undefined, undefined]);
    await expectConsistentWithMirror(client, portfolioId);
  });

  it('two derivations of an existing position: one whose generation was superseded cannot write its closed lot any more', async () => {
    const portfolioId = await newPortfolio('XST1');
    const buy = tradeOf(portfolioId, 1, 1, body('BUY', 0, 3), false);
    const sell = tradeOf(portfolioId, 2, 1, body('SELL', 1), false);
    const later = tradeOf(portfolioId, 3, 1, body('BUY', 2), false);
    const last = tradeOf(portfolioId, 4, 1, body('BUY', 3), false);
    const handler = buildHandler(() => depsWith(client, []));
    expect(
      (await handler({ Records: [recordOf(SUB, buy, undefined)] } as DynamoDBStreamEvent)).batchItemFailures,
    ).toEqual([]);
    const at = gate();
    // the slow one: begins its generation for the sale, then waits before writing the sale's closed lot
    const slow = buildHandler(() => pausedAt(depsWith(client, []), 'writeDerived', at));
    const racing = slow({ Records: [recordOf(SUB, sell, undefined)] } as DynamoDBStreamEvent);
    await at.reached;
    // meanwhile the sale arrives again with a later trade, and one more trade after that commits
    const again = await handler({
      Records: [recordOf(SUB, sell, undefined), recordOf(SUB, later, undefined)],
    } as DynamoDBStreamEvent);
    expect(again.batchItemFailures).toEqual([]);
    expect(
      (await handler({ Records: [recordOf(SUB, last, undefined)] } as DynamoDBStreamEvent)).batchItemFailures,
    ).toEqual([]);
    at.open();
    expect((await racing).batchItemFailures).toEqual([]);

    const state = await visible(client, portfolioId);
    expect(state.closed).toEqual([`EQUITY:AAA:USD/${sell.tradeId}`]);
    expect(await closedLotItems(portfolioId)).toHaveLength(1);
    await expectConsistentWithMirror(client, portfolioId);
  });
});
