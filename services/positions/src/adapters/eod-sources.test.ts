import { feedClosesMemo } from './eod-sources';

describe('feedClosesMemo: feed closes shared by the EOD builds of one container', () => {
  let clock = 0;
  const now = () => clock;
  const loader = () => {
    const calls: string[] = [];
    return {
      calls,
      load:
        (key: string, items: Record<string, unknown>[] = [{ key }]) =>
        () => {
          calls.push(key);
          return Promise.resolve(items);
        },
    };
  };

  beforeEach(() => {
    clock = 0;
  });

  it('loads a key once while fresh, shares an in-flight load, and loads again after the TTL', async () => {
    const cache = feedClosesMemo(1_000, 10, now);
    const { calls, load } = loader();
    const [a, b] = await Promise.all([cache('PRICE#A', load('PRICE#A')), cache('PRICE#A', load('PRICE#A'))]);
    expect(a).toBe(b);
    clock = 999;
    await cache('PRICE#A', load('PRICE#A'));
    expect(calls).toEqual(['PRICE#A']);
    clock = 1_000;
    await cache('PRICE#A', load('PRICE#A'));
    expect(calls).toEqual(['PRICE#A', 'PRICE#A']);
  });

  it('forgets a failed load, so the next build reads again', async () => {
    const cache = feedClosesMemo(1_000, 10, now);
    await expect(cache('PRICE#B', () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
    const { calls, load } = loader();
    await cache('PRICE#B', load('PRICE#B'));
    expect(calls).toEqual(['PRICE#B']);
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const cache = feedClosesMemo(60_000, 2, now);
    const { calls, load } = loader();
    await cache('A', load('A'));
    await cache('B', load('B'));
    await cache('C', load('C')); // A goes
    await cache('B', load('B'));
    await cache('A', load('A'));
    expect(calls).toEqual(['A', 'B', 'C', 'A']);
  });
});
