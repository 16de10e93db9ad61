import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  fxRateItem,
  manualPricePartitionKey,
  priceCloseItem,
  SERIES_SORT_KEY,
} from '@kupala/trade-model';
import type { EodSnapshot } from '../domain/eod';
import type { MarketRequest } from '../domain/eod-run';
import { feedClosesMemo, loadEodMarkets } from './eod-sources';
import { buildEodStore } from './eod-store';
import { buildMarketDataReader } from './market-data-reader';
import { buildPortfoliosReader } from './portfolios-reader';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/** A document client that records the operation and key condition value `:pk` of every request it sends. */
const recordingClient = () => {
  const sent: { operation: string; pk?: string }[] = [];
  const raw = new DynamoDBClient({});
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      // marshalled ({S: …}) or not yet, depending on where the document client translates
      const input = (args.input ?? {}) as { ExpressionAttributeValues?: Record<string, unknown> };
      const pk = input.ExpressionAttributeValues?.[':pk'] as string | { S?: string } | undefined;
      sent.push({
        operation: String(context.commandName).replace(/Command$/, ''),
        pk: typeof pk === 'string' ? pk : pk?.S,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return { client: createDocumentClient(raw), sent };
};

describe('EOD sources: the markets of a batch against DynamoDB Local', () => {
  const client = createDocumentClient();
  const table = () => env('MARKET_DATA_TABLE');
  const run = randomUUID().slice(0, 8).toUpperCase();
  // symbols of this run only (the table is shared by every integration test)
  const [A, B] = [`XA${run}`, `XB${run}`];
  const alice = `eod-alice-${run}`;
  const bob = `eod-bob-${run}`;
  const request = (sub: string, symbols: string[], currencies: string[] = ['USD']): MarketRequest => ({
    sub,
    baseCurrency: 'USD',
    instruments: symbols.map((symbol) => ({ symbol, currency: 'USD' })),
    currencies,
    from: '2026-03-05',
    to: '2026-03-06',
    expectedCloses: 2,
    ratesFrom: '2026-01-05',
  });

  beforeAll(async () => {
    const closes = [
      // the feed's closes of both symbols, seen by everyone
      ...['2026-03-04', '2026-03-05', '2026-03-06'].flatMap((date, day) =>
        [A, B].map((symbol) =>
          priceCloseItem({
            scope: { kind: 'feed' },
            symbol,
            date,
            close: `${100 + day}`,
            currency: 'USD',
            source: 'simulated',
          }),
        ),
      ),
      // alice's manual series of A, with its header (market-data writes the header before the first close)
      {
        pk: manualPricePartitionKey(alice, A),
        sk: SERIES_SORT_KEY,
        entity: 'MANUAL_PRICE_SERIES',
        currency: 'USD',
      },
      priceCloseItem({
        scope: { kind: 'manual', sub: alice },
        symbol: A,
        date: '2026-03-06',
        close: '150',
        currency: 'USD',
        source: 'manual',
      }),
      // an ISK rate from the first trade's day (before the range's look-back): what trade-date conversions use
      fxRateItem({
        scope: { kind: 'feed' },
        base: 'ISK',
        quote: 'USD',
        date: '2026-01-05',
        rate: '1.1',
        source: 'simulated',
      }),
    ];
    await client.send(
      new BatchWriteCommand({
        RequestItems: { [table()]: closes.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  });

  it('reads each feed series once for the batch and only the manual series that exist; manual wins on its date', async () => {
    const { client: recording, sent } = recordingClient();
    const rates = buildMarketDataReader(recording, table());
    const [aliceMarket, bobMarket] = await loadEodMarkets(recording, table(), rates, [
      request(alice, [A, B]),
      request(bob, [A, B]),
    ]);
    // alice's own 150 on 03-06 over the feed's 102; the feed's 101 on 03-05
    expect(aliceMarket?.closeOn(A, 'USD', '2026-03-06')).toEqual({ close: '150', date: '2026-03-06' });
    expect(aliceMarket?.closeOn(A, 'USD', '2026-03-05')).toEqual({ close: '101', date: '2026-03-05' });
    // bob has no manual series: the feed's
    expect(bobMarket?.closeOn(A, 'USD', '2026-03-06')).toEqual({ close: '102', date: '2026-03-06' });
    expect(bobMarket?.closeOn(B, 'USD', '2026-03-07')).toEqual({ close: '102', date: '2026-03-06' });
    // a close in another currency than the instrument's is not one
    expect(bobMarket?.closeOn(B, 'EUR', '2026-03-06')).toBeUndefined();

    const queried = sent.filter((request) => request.operation === 'Query').map((request) => request.pk);
    // two feed series for two portfolios: one query each; alice's A is the only manual series queried
    expect(queried.sort()).toEqual([`PRICE#${A}`, `PRICE#${B}`, manualPricePartitionKey(alice, A)].sort());
    // which manual series exist: the four (owner, symbol) headers in one BatchGetItem
    expect(sent.filter((request) => request.operation === 'BatchGetItem')).toHaveLength(1);
  });

  it('manual closes stored without a series header count for a symbol the feed has no close of', async () => {
    // old data: bob's manual closes of C (no feed) and of A (fed), both without their SERIES header
    const C = `XC${run}`;
    await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [table()]: [
            { symbol: C, date: '2026-03-05', close: '42.5' },
            { symbol: A, date: '2026-03-06', close: '999' },
          ].map(({ symbol, date, close }) => ({
            PutRequest: {
              Item: priceCloseItem({
                scope: { kind: 'manual', sub: bob },
                symbol,
                date,
                close,
                currency: 'USD',
                source: 'manual',
              }),
            },
          })),
        },
      }),
    );
    const { client: recording, sent } = recordingClient();
    const [bobMarket] = await loadEodMarkets(recording, table(), buildMarketDataReader(recording, table()), [
      request(bob, [A, C]),
    ]);
    // C: the feed has nothing in the range, so bob's series is read whatever the headers say
    expect(bobMarket?.closeOn(C, 'USD', '2026-03-06')).toEqual({ close: '42.5', date: '2026-03-05' });
    // A: the feed has closes and bob has no header, so the feed's 102 stands (his headerless 999 is not read)
    expect(bobMarket?.closeOn(A, 'USD', '2026-03-06')).toEqual({ close: '102', date: '2026-03-06' });
    const queried = sent.filter((request) => request.operation === 'Query').map((request) => request.pk);
    expect(queried.sort()).toEqual([`PRICE#${A}`, `PRICE#${C}`, manualPricePartitionKey(bob, C)].sort());
  });

  it('a second batch in the same container reads the feed from the memo', async () => {
    const { client: recording, sent } = recordingClient();
    const rates = buildMarketDataReader(recording, table());
    const memo = feedClosesMemo();
    await loadEodMarkets(recording, table(), rates, [request(bob, [A])], memo);
    await loadEodMarkets(recording, table(), rates, [request(bob, [A])], memo);
    expect(sent.filter((request) => request.operation === 'Query').map((request) => request.pk)).toEqual([
      `PRICE#${A}`,
    ]);
  });

  it('FX rates are read from the first trade on (trade-date conversions), not only from the range', async () => {
    const rates = buildMarketDataReader(client, table());
    const [market] = await loadEodMarkets(client, table(), rates, [request(bob, [A], ['USD', 'ISK'])]);
    expect(market?.fx('ISK', 'USD', '2026-01-05')).toBe('1.1');
  });
});

describe('EOD store: a batch of portfolios written at once against DynamoDB Local', () => {
  const client = createDocumentClient();
  const store = buildEodStore(client, env('EOD_TABLE'));
  const sub = `eod-batch-${randomUUID()}`;
  const day = (date: string, netLiquidation: string): EodSnapshot => ({
    date,
    netLiquidation,
    netFlows: '0',
    dailyReturn: null,
    positions: [],
    cash: [{ currency: 'USD', balance: netLiquidation }],
    closedRealizedPnlBase: '0',
    missing: [],
  });
  const items = async (portfolioId: string) =>
    (
      await client.send(
        new QueryCommand({
          TableName: env('EOD_TABLE'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `USER#${sub}#PORTFOLIO#${portfolioId}` },
        }),
      )
    ).Items ?? [];

  it('writes every portfolio’s days and merges each series with what it held; a rerun changes nothing', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    // the first portfolio already has 03-05 in its 2026 series
    await store.putSnapshots(sub, first, [day('2026-03-05', '10')]);
    const writes = [
      { sub, portfolioId: first, snapshots: [day('2026-03-06', '11')] },
      // the second spans two years: two series items
      { sub, portfolioId: second, snapshots: [day('2025-12-31', '20'), day('2026-01-02', '21')] },
    ];
    await store.putManySnapshots(writes);
    const firstSeries = await store.series(sub, first, { from: '2026-01-01', to: '2026-12-31' });
    expect(firstSeries.days.map((known) => [known.date, known.netLiquidation])).toEqual([
      ['2026-03-05', '10'],
      ['2026-03-06', '11'],
    ]);
    const secondSeries = await store.series(sub, second, { from: '2026-01-01', to: '2026-12-31' });
    expect(secondSeries.before?.date).toBe('2025-12-31');
    expect(secondSeries.days.map((known) => known.date)).toEqual(['2026-01-02']);
    expect((await items(second)).map((item) => item.sk)).toEqual([
      'DAY#2025-12-31',
      'DAY#2026-01-02',
      'SERIES#2025',
      'SERIES#2026',
    ]);
    const before = await items(first);
    await store.putManySnapshots(writes);
    expect(await items(first)).toEqual(before);
  });

  it('a series changed behind the batch read is re-read and merged, never overwritten', async () => {
    const portfolioId = randomUUID();
    await store.putSnapshots(sub, portfolioId, [day('2026-04-01', '1')]);
    // another writer adds 04-02 to the series between the batch's read and its put: simulated by a client whose
    // first BatchGetItem answers the series as it was before that writer's put
    const raw = new DynamoDBClient({});
    let interleaved = false;
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'BatchGetItemCommand' && !interleaved) {
          interleaved = true;
          await store.putSnapshots(sub, portfolioId, [day('2026-04-02', '2')]);
        }
        return result;
      },
      { step: 'initialize', name: 'interleaveWriter' },
    );
    await buildEodStore(createDocumentClient(raw), env('EOD_TABLE')).putManySnapshots([
      { sub, portfolioId, snapshots: [day('2026-04-03', '3')] },
    ]);
    expect(interleaved).toBe(true);
    const { days } = await store.series(sub, portfolioId, { from: '2026-01-01', to: '2026-12-31' });
    expect(days.map((known) => known.date)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
  });
});

describe('the nightly run’s list of portfolios and their settings against DynamoDB Local', () => {
  const client = createDocumentClient();
  const store = buildEodStore(client, env('EOD_TABLE'));
  const run = randomUUID();

  it('holds a portfolio once however often it is registered, and answers every registered one', async () => {
    const portfolios = Array.from({ length: 40 }, (_, index) => ({
      sub: `eod-list-${run}`,
      portfolioId: `01JEDL${String(index).padStart(20, '0')}`,
    }));
    await store.registerPortfolios(portfolios);
    // the consumer registers again on every later trade: a repeat, and a duplicate within one call
    await store.registerPortfolios([...portfolios.slice(0, 5), ...portfolios.slice(0, 5)]);
    const listed: { sub: string; portfolioId: string }[] = [];
    for await (const portfolio of store.registeredPortfolios()) {
      if (portfolio.sub === `eod-list-${run}`) listed.push(portfolio);
    }
    expect(listed.map((portfolio) => portfolio.portfolioId).sort()).toEqual(
      portfolios.map((portfolio) => portfolio.portfolioId),
    );
  });

  it('states of a batch: live with its settings, deleted, or absent without a PORTFOLIO item', async () => {
    const sub = `eod-settings-${run}`;
    const item = (portfolioId: string, extra: Record<string, unknown> = {}) => ({
      pk: `USER#${sub}`,
      sk: `PORTFOLIO#${portfolioId}`,
      entity: 'PORTFOLIO',
      portfolioId,
      baseCurrency: 'EUR',
      lotMethod: 'LIFO',
      ...extra,
    });
    await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [env('TRADES_TABLE')]: [
            item('01JEDS00000000000000000001'),
            item('01JEDS00000000000000000002', { deletedAt: '2026-03-01T00:00:00.000Z' }),
          ].map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
    const settings = await buildPortfoliosReader(client, env('TRADES_TABLE')).getManyPortfolioStates(
      ['01JEDS00000000000000000001', '01JEDS00000000000000000002', '01JEDS00000000000000000003'].map(
        (portfolioId) => ({ sub, portfolioId }),
      ),
    );
    // the third has no PORTFOLIO item: absent (the EOD run tells a purged portfolio from an unreadable one)
    expect(Object.fromEntries(settings)).toEqual({
      [`${sub}#01JEDS00000000000000000001`]: {
        status: 'LIVE',
        settings: { baseCurrency: 'EUR', lotMethod: 'LIFO' },
      },
      [`${sub}#01JEDS00000000000000000002`]: { status: 'DELETED' },
    });
  });
});
