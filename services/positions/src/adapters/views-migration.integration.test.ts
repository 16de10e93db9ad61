import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { equity, fxTable, trades } from '@kupala/lot-engine/testing';
import { createDocumentClient, type Instrument } from '@kupala/trade-model';
import type { PositionState } from '../domain/engine';
import { buildHandler } from '../functions/migrateViews/handler';
import { engine } from '../positionsSideEffects';
import {
  legacyViewSortKey,
  portfolioPartition,
  viewChunkSortKey,
  viewMarkAttribute,
  viewSummaryAttribute,
} from './positions-keys';
import { buildPositionsStore, type DerivedPosition, type StoredMark } from './positions-store';
import { buildViewsMigration } from './views-migration';

/**
 * Positions last derived before the views were packed into VIEWS# chunks, against DynamoDB Local: items shaped
 * as the two earlier versions wrote them (a `VIEW#<instrumentKey>` item beside the state; older still, the
 * mark on the state item itself) are missing from GET positions until the by-hand migration rebuilds their
 * entries. Its own table: the migration scans a whole table, and other suites' positions must not race it.
 */
describe('rebuilding packed views of positions derived before them (migrateViews), against DynamoDB Local', () => {
  const client = createDocumentClient();
  const table = `kupala-test-views-migration-${Date.now()}`;
  const store = buildPositionsStore(client, table);
  const sub = 'views-migration-user';
  const portfolioId = '01JV1EWM1GRAT10N0000000000';
  const pk = portfolioPartition(sub, portfolioId);
  const trade = trades();
  const ctx = { method: 'FIFO' as const, baseCurrency: 'USD', fx: fxTable({}) };

  /** A position holding `quantity` bought at 10 on 2026-01-02, committed the way the current code commits. */
  const derived = (instrument: Instrument, quantity: string): DerivedPosition => {
    const { state } = engine.applyTrade(
      engine.emptyPosition(instrument),
      trade('BUY', '2026-01-02', { instrument, quantity, price: '10' }),
      ctx,
    );
    return {
      instrumentKey: state.instrumentKey,
      instrument,
      state,
      summary: engine.positionSummary(state),
      baseCurrency: 'USD',
      generation: { gen: 'g1', closedFrom: '' },
      sinceCheckpoint: 1,
      expectedVersion: undefined,
    };
  };
  const mark = (price: string): StoredMark => ({
    price,
    currency: 'USD',
    asOf: '2026-02-02',
    source: 'manual',
  });

  const current = derived(equity('NEWV'), '1'); // derived after the packing: untouched
  const viewEra = derived(equity('OLDV'), '2'); // last derived with a VIEW# item
  const stateEra = derived(equity('OLDS'), '3'); // last derived when the mark was on the state item

  /** Makes a committed position look as an earlier version left it: no entry in its chunk. */
  const unpack = async (position: DerivedPosition) =>
    client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: viewChunkSortKey(position.instrumentKey) },
        UpdateExpression: 'REMOVE #s, #m',
        ExpressionAttributeNames: {
          '#s': viewSummaryAttribute(position.instrumentKey),
          '#m': viewMarkAttribute(position.instrumentKey),
        },
      }),
    );

  beforeAll(async () => {
    const raw = new DynamoDBClient({});
    await raw.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await store.commit({ sub, portfolioId, positions: [current, viewEra, stateEra], applied: [], cash: [] });
    await store.setMark(sub, portfolioId, current.instrumentKey, mark('11'));
    // the VIEW# era: the summary and the mark as JSON strings on a VIEW#<instrumentKey> item
    await unpack(viewEra);
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk,
          sk: legacyViewSortKey(viewEra.instrumentKey),
          entity: 'POSITION_VIEW',
          summary: JSON.stringify(viewEra.summary),
          mark: JSON.stringify(mark('22')),
        },
      }),
    );
    // before it: the mark as a map on the state item
    await unpack(stateEra);
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk, sk: `POS#${stateEra.instrumentKey}` },
        UpdateExpression: 'SET mark = :mark',
        ExpressionAttributeValues: { ':mark': mark('33') },
      }),
    );
    // a stale VIEW# item beside a position that has its packed entry already: its mark must not win
    await client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk,
          sk: legacyViewSortKey(current.instrumentKey),
          summary: '{}',
          mark: JSON.stringify(mark('1')),
        },
      }),
    );
  });

  afterAll(async () => {
    await new DynamoDBClient({}).send(new DeleteTableCommand({ TableName: table }));
  });

  const viewsSeen = async () =>
    (await store.listPositionViews(sub, portfolioId)).map((view) => ({
      instrumentKey: view.instrumentKey,
      quantity: (view.summary as PositionState & { quantity?: string }).quantity,
      price: view.mark?.price,
    }));

  it('lists the older positions again, with their marks, after a resumable run; a second run changes nothing', async () => {
    // before: GET positions reads only the packed entries, so the two older positions are missing
    expect((await viewsSeen()).map((view) => view.instrumentKey)).toEqual([current.instrumentKey]);

    // one page of 2 items at a time (the table holds 3 states, 3 chunk items, 2 VIEW# items): the run stops
    // after the first page when its time is short, and the next run continues from its cursor
    const migration = buildViewsMigration(client, table, engine);
    const small = {
      migratePage: (cursor: Parameters<typeof migration.migratePage>[0]) => migration.migratePage(cursor, 2),
    };
    const handler = buildHandler(() => ({ migration: small }));
    const short = { getRemainingTimeInMillis: () => 1_000 };
    let result = await handler({}, short);
    let runs = 1;
    let positions = result.positions;
    while (result.nextCursor !== null) {
      result = await handler({ cursor: result.nextCursor }, short);
      runs += 1;
      positions += result.positions;
    }
    expect(runs).toBeGreaterThan(1);
    expect(positions).toBe(3);

    // every state has its entry: the summary the engine makes of the stored state, the mark it last had
    const expected = [
      { instrumentKey: current.instrumentKey, quantity: '1', price: '11' },
      { instrumentKey: stateEra.instrumentKey, quantity: '3', price: '33' },
      { instrumentKey: viewEra.instrumentKey, quantity: '2', price: '22' },
    ].sort((a, b) => (a.instrumentKey < b.instrumentKey ? -1 : 1));
    expect(await viewsSeen()).toEqual(expected);
    const views = await store.listPositionViews(sub, portfolioId);
    for (const position of [current, viewEra, stateEra]) {
      expect(views.find((view) => view.instrumentKey === position.instrumentKey)?.summary).toEqual(
        JSON.parse(JSON.stringify(engine.positionSummary(position.state))),
      );
    }
    // the old view items are gone
    const legacy = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :view)',
        ExpressionAttributeValues: { ':pk': pk, ':view': 'VIEW#' },
      }),
    );
    expect(legacy.Items).toEqual([]);
    // a price after the migration moves the older position's mark as for any other
    expect(await store.setMark(sub, portfolioId, viewEra.instrumentKey, mark('23'))).toBe(true);

    const before = await client.send(
      new GetCommand({ TableName: table, Key: { pk, sk: viewChunkSortKey(viewEra.instrumentKey) } }),
    );
    const again = await buildHandler(() => ({ migration }))({});
    expect(again).toEqual({ positions: 3, nextCursor: null });
    const after = await client.send(
      new GetCommand({ TableName: table, Key: { pk, sk: viewChunkSortKey(viewEra.instrumentKey) } }),
    );
    expect(after.Item).toEqual(before.Item);
  });

  it('a position committed while the migration rebuilds it keeps the newer figures', async () => {
    const racing = derived(equity('RACE'), '4');
    await store.commit({ sub, portfolioId, positions: [racing], applied: [], cash: [] });
    await unpack(racing);
    // the migration scans the state at version 1; just before its transaction, a derivation commits version 2
    // (quantity 5) with its packed entry: the check of the version refuses the rebuild, which reads again and
    // leaves the newer entry as it is
    const newer = { ...derived(equity('RACE'), '5'), expectedVersion: 1 };
    let raced = false;
    const proxy = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { constructor: { name: string } }) => {
          if (!raced && command.constructor.name === 'TransactWriteCommand') {
            raced = true;
            await store.commit({ sub, portfolioId, positions: [newer], applied: [], cash: [] });
          }
          return target.send(command as never);
        };
      },
    }) as typeof client;
    const migration = buildViewsMigration(proxy, table, engine);
    let cursor: Parameters<typeof migration.migratePage>[0];
    do cursor = (await migration.migratePage(cursor)).nextCursor;
    while (cursor !== undefined);
    expect(raced).toBe(true);
    const view = (await viewsSeen()).find((entry) => entry.instrumentKey === racing.instrumentKey);
    expect(view?.quantity).toBe('5');
  });

  it('refuses an invocation whose cursor is not one it answered', async () => {
    const handler = buildHandler(() => ({ migration: buildViewsMigration(client, table, engine) }));
    await expect(handler({ cursor: { pk: 1, sk: 'x' } })).rejects.toThrow('Not a migration run');
  });
});
