import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeMlEffects } from '../../testing/fake-effects';
import { datasetRequest, seedDataset } from '../../testing/requests';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens = { alice: '', bob: '' };
beforeAll(async () => {
  issuer = await useTestIssuer();
  tokens.alice = await issuer.sign('alice');
  tokens.bob = await issuer.sign('bob');
});

describe('getDataset handler', () => {
  it('answers schema, row count and the first 20 rows as strings', async () => {
    const fake = fakeMlEffects();
    const rows = Array.from({ length: 30 }, (_, index) => `${index + 1},"v ${index + 1}"`);
    const datasetId = await seedDataset(fake.effects, tokens.alice, ['n,label', ...rows].join('\n'));

    const response = await invoke(buildHandler(fake.effects), datasetRequest('GET', datasetId, tokens.alice));

    expect(response.statusCode).toBe(200);
    const body = response.body as { rows: number; columns: unknown; preview: string[][] };
    expect(body.rows).toBe(30);
    expect(body.columns).toEqual([
      { name: 'n', type: 'number' },
      { name: 'label', type: 'string' },
    ]);
    expect(body.preview).toHaveLength(20);
    expect(body.preview[0]).toEqual(['1', 'v 1']);
    expect(body.preview[19]).toEqual(['20', 'v 20']);
  });

  it("answers 404 for another user's dataset, without revealing it exists", async () => {
    const fake = fakeMlEffects();
    const datasetId = await seedDataset(fake.effects, tokens.alice, 'a\n1\n');

    const response = await invoke(buildHandler(fake.effects), datasetRequest('GET', datasetId, tokens.bob));

    expect(response.statusCode).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Dataset not found' } });
  });

  it('refuses a malformed dataset id with 400', async () => {
    const fake = fakeMlEffects();
    const response = await invoke(
      buildHandler(fake.effects),
      datasetRequest('GET', 'not-an-id', tokens.alice),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ error: { details: [{ path: 'path.datasetId' }] } });
  });
});
