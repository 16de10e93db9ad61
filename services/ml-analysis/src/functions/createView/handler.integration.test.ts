import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
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
});
