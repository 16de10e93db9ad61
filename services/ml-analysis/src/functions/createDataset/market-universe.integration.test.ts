import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localSubFor, tokenFor } from '@kupala/local-stack';
import {
  createDocumentClient,
  DEFAULT_UNIVERSE_SYMBOLS,
  getEnvVariable,
  priceCloseItem,
  TRACKED_SYMBOLS_PARTITION_KEY,
  trackedSymbolSortKey,
} from '@kupala/trade-model';
import { invoke } from '@kupala/trade-model/testing';
import { datasetRequest } from '../../testing/requests';
import { main as createView } from '../createView/handler';
import { main as deleteDataset } from '../deleteDataset/handler';
import { main as getDataset } from '../getDataset/handler';
import { main as listDatasets } from '../listDatasets/handler';
import { main as createDataset } from './handler';

/**
 * The market universe end to end against DynamoDB Local and the local S3 server: prices are seeded in
 * market-data's table through trade-model's key layout (feed closes, and manual closes of two users), then the
 * dataset is built, read, viewed and deleted through the real handlers with real tokens.
 */
const client = createDocumentClient();
const marketDataTable = getEnvVariable('MARKET_DATA_TABLE');
const run = Date.now();
// unique per run: feed closes are global, the table is shared with every other integration test
const FEED = `MLUA${run}`;
const OWN = `MLUB${run}`;

/** 300 consecutive calendar days from 2025-01-01: index 272 = 2025-09-30, 293 = 2025-10-21, 299 = 2025-10-27. */
const day = (index: number) => new Date(Date.UTC(2025, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
const DAYS = 300;

const write = async (items: Record<string, unknown>[]) => {
  for (let start = 0; start < items.length; start += 25) {
    await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [marketDataTable]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
};
const feedClose = (symbol: string, index: number, close: string) =>
  priceCloseItem({
    scope: { kind: 'feed' },
    symbol,
    date: day(index),
    close,
    currency: 'USD',
    source: 'simulated',
  });
const manualClose = (sub: string, symbol: string, index: number, close: string, currency = 'USD') =>
  priceCloseItem({
    scope: { kind: 'manual', sub },
    symbol,
    date: day(index),
    close,
    currency,
    source: 'manual',
  });

const create = (token: string, body: unknown) =>
  invoke(createDataset, { method: 'POST', path: '/datasets', token, body });

describe('the market-universe dataset against DynamoDB Local and the local S3 server', () => {
  // a token's sub is the local issuer's id of its username
  const aliceSub = localSubFor(`alice-universe-${run}`);
  const bobSub = localSubFor(`bob-universe-${run}`);
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([tokenFor(`alice-universe-${run}`), tokenFor(`bob-universe-${run}`)]);
    await write([
      // the feed: FEED flat at 100 on every day
      ...Array.from({ length: DAYS }, (_, index) => feedClose(FEED, index, '100')),
      // alice's manual closes win on their dates: a dip to 80 on 2025-09-20 (index 262), 115 on 2025-10-21 (293)
      manualClose(aliceSub, FEED, 262, '80'),
      manualClose(aliceSub, FEED, 293, '115'),
      // bob's manual close of the same date never reaches alice's dataset
      manualClose(bobSub, FEED, 293, '50'),
      // OWN: alice's manual series only, 100 + index (EUR)
      ...Array.from({ length: DAYS }, (_, index) =>
        manualClose(aliceSub, OWN, index, String(100 + index), 'EUR'),
      ),
    ]);
  }, 60_000);

  it('builds it from the closes the caller sees, stores it like an upload, and reads it back', async () => {
    const created = await create(alice, {
      name: 'Universe',
      source: 'market-universe',
      symbols: [OWN, FEED],
    });

    expect(created.statusCode).toBe(201);
    // Month ends of 300 days from 2025-01-01: only 2025-09-30 (index 272) has 252 closes before it (272 ≥ 252;
    // 2025-08-31 is index 242) and 21 after it (272 + 21 = 293 ≤ 299): one row per symbol.
    expect(created.body).toMatchObject({ name: 'Universe', format: 'csv', rows: 2 });
    const { datasetId } = created.body as { datasetId: string };

    const read = await invoke(getDataset, datasetRequest('GET', datasetId, alice));
    expect(read.statusCode).toBe(200);
    const detail = read.body as {
      columns: { name: string; type: string }[];
      rows: number;
      preview: string[][];
    };
    expect(detail.rows).toBe(2);
    expect(detail.columns.filter((column) => column.type !== 'number')).toEqual([
      { name: 'symbol', type: 'string' },
      { name: 'date', type: 'date' },
    ]);
    const rows = detail.preview.map((cells) =>
      Object.fromEntries(detail.columns.map((column, index) => [column.name, cells[index]])),
    );
    expect(rows.map((row) => `${row.symbol} ${row.date}`)).toEqual([
      `${FEED} 2025-09-30`,
      `${OWN} 2025-09-30`,
    ]);
    // FEED at index 272 (100): c251 = c267 = c209 = c20 = 100 → 0 returns; the peak 100 falls to alice's 80 at
    // 262: 80/100 − 1 = −0.2; target c293 / c272 − 1 = 115/100 − 1 = 0.15 (alice's close, not the feed's 100 nor
    // bob's 50). vol_21d: returns −0.2 (262) and 100/80 − 1 = 0.25 (263), else 0; Σr = 0.05, Σr² = 0.1025;
    // (0.1025 − 0.05²/21) / 20 × 252 = (2.15/21) / 20 × 252 = 1.29 → √1.29 = 1.1357816…
    expect(rows[0]).toMatchObject({ ret_5d: '0', ret_252d: '0', maxdd_252d: '-0.2', fwd_ret_21d: '0.15' });
    expect(Number(rows[0]?.vol_21d)).toBeCloseTo(Math.sqrt(1.29), 9);
    // OWN at index 272 is 372: ret_5d = 372/367 − 1 = 5/367; 12-1 momentum c251/c20 − 1 = 351/120 − 1 = 1.925;
    // target 393/372 − 1 = 21/372; rising every day: no drawdown
    expect(Number(rows[1]?.ret_5d)).toBeCloseTo(5 / 367, 9);
    expect(rows[1]).toMatchObject({ mom_12_1: '1.925', maxdd_252d: '0' });
    expect(Number(rows[1]?.fwd_ret_21d)).toBeCloseTo(21 / 372, 9);

    // a view over it, like over any dataset
    const view = await invoke(createView, {
      method: 'POST',
      path: `/datasets/${datasetId}/views`,
      routePath: '/datasets/{datasetId}/views',
      pathParameters: { datasetId },
      token: alice,
      body: { filter: 'fwd_ret_21d > 0.1', derive: [{ name: 'pct', formula: 'fwd_ret_21d * 100' }] },
    });
    expect(view.statusCode).toBe(201);
    const viewId = (view.body as { datasetId: string }).datasetId;
    const viewed = await invoke(getDataset, datasetRequest('GET', viewId, alice));
    // only FEED's target (0.15) is above 0.1 (OWN's is 21/372 = 0.056…); 0.15 × 100 = 15
    expect((viewed.body as { rows: number }).rows).toBe(1);
    expect((viewed.body as { preview: string[][] }).preview[0]?.at(-1)).toBe('15');

    // another user does not see it; its owner deletes it like any dataset
    expect((await invoke(getDataset, datasetRequest('GET', datasetId, bob))).statusCode).toBe(404);
    expect((await invoke(deleteDataset, datasetRequest('DELETE', datasetId, alice))).statusCode).toBe(204);
    expect((await invoke(getDataset, datasetRequest('GET', datasetId, alice))).statusCode).toBe(404);
  }, 60_000);

  it("gives each caller their own manual closes: bob's close of the same date is his target", async () => {
    const created = await create(bob, {
      name: 'Mine',
      source: 'market-universe',
      symbols: [FEED.toLowerCase()],
    });
    expect(created.statusCode).toBe(201);
    const { datasetId } = created.body as { datasetId: string };
    const read = await invoke(getDataset, datasetRequest('GET', datasetId, bob));
    const preview = (read.body as { preview: string[][] }).preview;
    // feed only (no dip): drawdown 0; target bob's 50 / 100 − 1 = −0.5
    expect(preview).toHaveLength(1);
    expect(preview[0]?.slice(0, 2)).toEqual([FEED, '2025-09-30']);
    expect(preview[0]?.slice(-3)).toEqual(['0', '0', '-0.5']);
  }, 60_000);

  it('answers 422 for a caller without price history, and stores nothing', async () => {
    const carol = await tokenFor(`carol-universe-${run}`);
    const refused = await create(carol, {
      name: 'Empty',
      source: 'market-universe',
      symbols: [`MLUC${run}`],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatchObject({
      error: { code: 'UNPROCESSABLE', message: expect.stringMatching(/^No price history/) },
    });
    const listed = await invoke(listDatasets, {
      method: 'GET',
      path: '/datasets',
      token: carol,
    });
    expect((listed.body as { items: unknown[] }).items).toEqual([]);
  });

  it('skips a malformed MarketData item instead of failing the whole universe', async () => {
    const symbol = `MLUM${run}`;
    await write([
      ...Array.from({ length: DAYS }, (_, index) => feedClose(symbol, index, '100')),
      // a close whose sort key does not fit the layout (readMarketDataItem refuses it)
      { ...feedClose(symbol, 100, '1'), sk: `DATE#${day(100)}X` },
    ]);
    const created = await create(alice, { name: 'M', source: 'market-universe', symbols: [symbol] });
    expect(created.statusCode).toBe(201);
    // the 300 good closes give the one 2025-09-30 row, its target 100/100 − 1 = 0 (the stray 1 played no part)
    expect(created.body).toMatchObject({ rows: 1 });
    const { datasetId } = created.body as { datasetId: string };
    const preview = (
      (await invoke(getDataset, datasetRequest('GET', datasetId, alice))).body as { preview: string[][] }
    ).preview;
    expect(preview[0]?.slice(1)).toEqual(['2025-09-30', '0', '0', '0', '0', '0', '0', '0', '0', '0']);
  });

  it('covers the fixed default list without `symbols`, never what is on the refresh list', async () => {
    // dave has 300 manual closes of XLU (on the default list): a 2025-09-30 row at least, as for FEED above. TRACKED has
    // 300 feed closes and sits on the refresh list (someone looked it up): it must not appear.
    const dave = await tokenFor(`dave-universe-${run}`);
    const daveSub = localSubFor(`dave-universe-${run}`);
    const tracked = `MLUT${run}`;
    expect(DEFAULT_UNIVERSE_SYMBOLS).toContain('XLU');
    await write([
      ...Array.from({ length: DAYS }, (_, index) => manualClose(daveSub, 'XLU', index, '100')),
      ...Array.from({ length: DAYS }, (_, index) => feedClose(tracked, index, '100')),
    ]);
    await client.send(
      new PutCommand({
        TableName: marketDataTable,
        Item: {
          pk: TRACKED_SYMBOLS_PARTITION_KEY,
          sk: trackedSymbolSortKey(tracked),
          entity: 'REFRESH_ENTRY',
          symbol: tracked,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
      }),
    );

    const created = await create(dave, { name: 'Default', source: 'market-universe' });

    expect(created.statusCode).toBe(201);
    const { datasetId } = created.body as { datasetId: string };
    // other default symbols may have feed closes from other tests sharing the table: look per symbol with views
    const viewOf = (symbol: string) =>
      invoke(createView, {
        method: 'POST',
        path: `/datasets/${datasetId}/views`,
        routePath: '/datasets/{datasetId}/views',
        pathParameters: { datasetId },
        token: dave,
        body: { filter: `symbol == "${symbol}"` },
      });
    // at least dave's 2025-09-30 row: another test's refresh may have stored simulated feed closes of XLU too
    const xlu = await viewOf('XLU');
    expect(xlu.statusCode).toBe(201);
    expect((xlu.body as { rows: number }).rows).toBeGreaterThanOrEqual(1);
    // a view that keeps nothing is refused: TRACKED has no row in the default universe
    const none = await viewOf(tracked);
    expect(none.statusCode).toBe(400);
    expect(JSON.stringify(none.body)).toContain('the view leaves no rows');
  }, 60_000);
});
