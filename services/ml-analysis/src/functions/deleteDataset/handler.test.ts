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

describe('deleteDataset handler', () => {
  it('deletes the file and the metadata, then answers 404', async () => {
    const fake = fakeMlEffects();
    const datasetId = await seedDataset(fake.effects, tokens.alice, 'a\n1\n');

    const removal = await invoke(
      buildHandler(fake.effects),
      datasetRequest('DELETE', datasetId, tokens.alice),
    );

    expect(removal.statusCode).toBe(204);
    expect(removal.body).toBeUndefined();
    expect(fake.items.size + fake.objects.size).toBe(0);
    const again = await invoke(buildHandler(fake.effects), datasetRequest('DELETE', datasetId, tokens.alice));
    expect(again.statusCode).toBe(404);
  });

  it("answers 404 for another user's dataset and leaves it intact", async () => {
    const fake = fakeMlEffects();
    const datasetId = await seedDataset(fake.effects, tokens.alice, 'a\n1\n');

    const removal = await invoke(buildHandler(fake.effects), datasetRequest('DELETE', datasetId, tokens.bob));

    expect(removal.statusCode).toBe(404);
    expect(fake.items.has(`alice|${datasetId}`)).toBe(true);
    expect(fake.objects.has(`alice/datasets/${datasetId}/source.csv`)).toBe(true);
  });
});
