import { inMemoryIdempotencyStore, invoke, useTestIssuer } from '../testing';
import * as z from '../zod';
import { defineRoute, httpRoute } from './route';

const createThing = defineRoute({
  operationId: 'createThing',
  method: 'POST',
  path: '/things',
  summary: 'create',
  tag: 'Test',
  auth: true,
  body: z.strictObject({ name: z.string(), fail: z.optional(z.boolean()) }),
  successStatus: 201,
  idempotent: true,
});

describe('Idempotency-Key middleware', () => {
  let token: string;
  let otherToken: string;
  beforeAll(async () => {
    const issuer = await useTestIssuer();
    token = await issuer.sign('alice');
    otherToken = await issuer.sign('bob');
  });

  const setup = () => {
    const store = inMemoryIdempotencyStore();
    let runs = 0;
    const handler = httpRoute(
      createThing,
      async ({ body }) => {
        runs += 1;
        if (body.fail === true) throw new Error('boom');
        return { statusCode: 201, body: { id: runs, name: body.name } };
      },
      { idempotencyStore: () => store },
    );
    const post = (body: unknown, key?: string, as = token) =>
      invoke(handler, {
        method: 'POST',
        path: '/things',
        token: as,
        body,
        headers: key === undefined ? {} : { 'Idempotency-Key': key },
      });
    return { store, post, runs: () => runs };
  };

  it('runs once per key and replays the stored response, whatever the key order of the body', async () => {
    const { post, runs } = setup();
    const first = await post({ name: 'a', fail: false }, 'k1');
    const replay = await post({ fail: false, name: 'a' }, 'k1');
    expect(runs()).toBe(1);
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 409 for the same key with a different body', async () => {
    const { post, runs } = setup();
    await post({ name: 'a' }, 'k1');
    const conflict = await post({ name: 'b' }, 'k1');
    expect(conflict.statusCode).toBe(409);
    expect(runs()).toBe(1);
  });

  it('keeps users apart: the same key from another user runs again', async () => {
    const { post, runs } = setup();
    await post({ name: 'a' }, 'k1');
    const other = await post({ name: 'a' }, 'k1', otherToken);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(runs()).toBe(2);
  });

  it('forgets a failed request so that the client may retry', async () => {
    const { post, store, runs } = setup();
    expect((await post({ name: 'a', fail: true }, 'k1')).statusCode).toBe(500);
    expect(store.size()).toBe(0);
    expect((await post({ name: 'a', fail: true }, 'k1')).statusCode).toBe(500);
    expect(runs()).toBe(2);
  });

  it('does nothing without the header, and refuses a malformed key', async () => {
    const { post, runs, store } = setup();
    await post({ name: 'a' });
    await post({ name: 'a' });
    expect(runs()).toBe(2);
    expect(store.size()).toBe(0);
    expect((await post({ name: 'a' }, 'bad key with spaces')).statusCode).toBe(400);
  });
});
