import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';

/** The `sub` claim of an access token (to address the owner's items the way the handlers do). */
const subOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).sub as string;

import { mlAnalysisSideEffects } from '../../sideEffects';
import { datasetRequest, seedDataset } from '../../testing/requests';
import { main as getDataset } from '../getDataset/handler';
import { main as createView } from './handler';

const CSV = [
  'symbol,sector,close,open',
  'AAA,tech,110,100',
  'BBB,tech,90,100',
  'CCC,energy,52,50',
  'DDD,energy,,40',
].join('\n');

const view = (token: string, datasetId: string, body: unknown) =>
  invoke(createView, {
    method: 'POST',
    path: `/datasets/${datasetId}/views`,
    routePath: '/datasets/{datasetId}/views',
    pathParameters: { datasetId },
    token,
    body,
  });

describe('views against DynamoDB Local and the local S3 server', () => {
  const run = Date.now();
  let alice: string;
  let datasetId: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-views-${run}`);
    datasetId = await seedDataset(mlAnalysisSideEffects, alice, CSV);
  });

  it('stores a derived, filtered, pivoted and sorted view as a new dataset with typed columns', async () => {
    const created = await view(alice, datasetId, {
      name: 'Sector returns',
      derive: [{ name: 'ret', formula: 'round(close / open - 1, 4)' }],
      filter: 'not isnull(close)',
      pivot: { groupBy: ['sector'], values: [{ column: 'ret', aggregate: 'mean' }] },
      sort: [{ column: 'mean_ret', direction: 'desc' }],
    });
    expect(created.statusCode).toBe(201);
    // tech: (0.1 + −0.1) / 2 = 0; energy: 52/50 − 1 = 0.04 (DDD filtered out: no close)
    expect(created.body).toMatchObject({
      name: 'Sector returns',
      rows: 2,
      columns: [
        { name: 'sector', type: 'string' },
        { name: 'mean_ret', type: 'number' },
      ],
    });
    const { datasetId: viewId } = created.body as { datasetId: string };
    const read = await invoke(getDataset, datasetRequest('GET', viewId, alice));
    expect((read.body as { preview: string[][] }).preview).toEqual([
      ['energy', '0.04'],
      ['tech', '0'],
    ]);
  });

  it('answers 400 naming the field for an unknown column, and 404 for a dataset of another user', async () => {
    const bad = await view(alice, datasetId, { filter: 'volume > 3' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatchObject({
      error: { details: [{ path: 'filter', message: 'no column named "volume"' }] },
    });
    const bob = await tokenFor(`bob-views-${run}`);
    expect((await view(bob, datasetId, { filter: 'close > 1' })).statusCode).toBe(404);
  });

  it('streams a source of many S3 chunks: a 1.3 MB file filtered to the rows worked out by hand', async () => {
    // 40,000 rows "i,i mod 1000,<24-character pad>": about 1.3 MB, many reads of the S3 body (kept this small so
    // the suite's other tests keep their share of the 2 cores), written straight to the dataset's source as an
    // upload would leave it
    const pad = 'x'.repeat(24);
    const lines = ['i,k,pad', ...Array.from({ length: 40_000 }, (_, i) => `${i},${i % 1000},${pad}`)];
    const content = `${lines.join('\n')}\n`;
    expect(content.length).toBeGreaterThan(1_200_000);
    const effects = mlAnalysisSideEffects();
    const bigId = effects.newId();
    await effects.files.putSource(subOf(alice), bigId, content);
    await effects.datasets.putDataset(subOf(alice), {
      datasetId: bigId,
      name: 'Big',
      format: 'csv',
      status: 'READY',
      columns: [
        { name: 'i', type: 'number' },
        { name: 'k', type: 'number' },
        { name: 'pad', type: 'string' },
      ],
      rows: 40_000,
      sizeBytes: content.length,
      createdAt: new Date().toISOString(),
    });

    // k == 7: i = 7, 1007, …, 39007 (40 rows)
    const created = await view(alice, bigId, {
      filter: 'k == 7',
      derive: [{ name: 'half', formula: 'i / 2' }],
    });

    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({
      rows: 40,
      columns: [
        { name: 'i', type: 'number' },
        { name: 'k', type: 'number' },
        { name: 'pad', type: 'string' },
        { name: 'half', type: 'number' },
      ],
    });
    const { datasetId: viewId } = created.body as { datasetId: string };
    const preview = (
      (await invoke(getDataset, datasetRequest('GET', viewId, alice))).body as { preview: string[][] }
    ).preview;
    expect(preview[0]).toEqual(['7', '7', pad, '3.5']);
    expect(preview[1]).toEqual(['1007', '7', pad, '503.5']);
  }, 60_000);
});
