import { invoke, type TestIssuer, useTestIssuer } from '@kupala/trade-model/testing';
import { fakeMlEffects } from '../../testing/fake-effects';
import { seedDataset } from '../../testing/requests';
import { buildHandler } from './handler';

let issuer: TestIssuer;
const tokens = { alice: '', bob: '' };
beforeAll(async () => {
  issuer = await useTestIssuer();
  tokens.alice = await issuer.sign('alice');
  tokens.bob = await issuer.sign('bob');
});

type Page = { items: { datasetId: string }[]; nextCursor: string | null };

describe('listDatasets handler', () => {
  it("lists the caller's datasets oldest first, page by page", async () => {
    const fake = fakeMlEffects();
    const ids = [
      await seedDataset(fake.effects, tokens.alice, 'a\n1\n'),
      await seedDataset(fake.effects, tokens.alice, 'b\n2\n'),
      await seedDataset(fake.effects, tokens.alice, 'c\n3\n'),
    ];
    const list = (query: Record<string, string>) =>
      invoke(buildHandler(fake.effects), { method: 'GET', path: '/datasets', token: tokens.alice, query });

    const first = (await list({ limit: '2' })).body as Page;
    const second = (await list({ limit: '2', cursor: first.nextCursor ?? '' })).body as Page;

    expect(first.items.map((item) => item.datasetId)).toEqual(ids.slice(0, 2));
    expect(second.items.map((item) => item.datasetId)).toEqual(ids.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it("never lists another user's datasets", async () => {
    const fake = fakeMlEffects();
    await seedDataset(fake.effects, tokens.alice, 'a\n1\n');
    const response = await invoke(buildHandler(fake.effects), {
      method: 'GET',
      path: '/datasets',
      token: tokens.bob,
    });
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it.each(['0', '501', 'ten'])('refuses limit=%s with 400', async (limit) => {
    const fake = fakeMlEffects();
    const response = await invoke(buildHandler(fake.effects), {
      method: 'GET',
      path: '/datasets',
      token: tokens.alice,
      query: { limit },
    });
    expect(response.statusCode).toBe(400);
  });
});
