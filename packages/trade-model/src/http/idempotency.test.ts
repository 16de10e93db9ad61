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

  it('keeps concurrent requests in one process apart: each completes its own reservation', async () => {
    const store = inMemoryIdempotencyStore();
    const waiting: (() => void)[] = [];
    let runs = 0;
    const handler = httpRoute(
      createThing,
      async ({ body }) => {
        runs += 1;
        // the first request is still inside its handler when the second one reserves its key
        await new Promise<void>((resolve) => waiting.push(resolve));
        return { statusCode: 201, body: { name: body.name } };
      },
      { idempotencyStore: () => store },
    );
    const post = (name: string, key: string) =>
      invoke(handler, {
        method: 'POST',
        path: '/things',
        token,
        body: { name },
        headers: { 'Idempotency-Key': key },
      });
    const first = post('first', 'k-first');
    const second = post('second', 'k-second');
    while (waiting.length < 2) await new Promise((resolve) => setImmediate(resolve));
    for (const release of waiting) release();
    await Promise.all([first, second]);
    const replayFirst = await post('first', 'k-first');
    const replaySecond = await post('second', 'k-second');
    expect(runs).toBe(2);
    expect(replayFirst).toMatchObject({ statusCode: 201, body: { name: 'first' } });
    expect(replaySecond).toMatchObject({ statusCode: 201, body: { name: 'second' } });
    expect(replayFirst.headers['idempotent-replayed']).toBe('true');
    expect(replaySecond.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps the reservation when recording the response fails after the handler committed: a retry never runs twice', async () => {
    const inner = inMemoryIdempotencyStore();
    let completeFailures = 2;
    const store = {
      ...inner,
      complete: async (...args: Parameters<typeof inner.complete>) => {
        if (completeFailures > 0) {
          completeFailures -= 1;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return inner.complete(...args);
      },
    };
    let runs = 0;
    const handler = httpRoute(
      createThing,
      async ({ body }) => {
        runs += 1;
        return { statusCode: 201, body: { name: body.name } };
      },
      { idempotencyStore: () => store },
    );
    const post = () =>
      invoke(handler, {
        method: 'POST',
        path: '/things',
        token,
        body: { name: 'a' },
        headers: { 'Idempotency-Key': 'late' },
      });
    expect((await post()).statusCode).toBe(500);
    expect(inner.size()).toBe(1);
    const retry = await post();
    expect(retry.statusCode).toBe(409);
    expect(runs).toBe(1);
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
