import type { PortfolioPositions, RetryPolicy } from '@kupala/trade-model';
import { type FakeMessengerOptions, fakeMessenger, type SentMessage } from '../testing/fake-messenger';
import { sampleSnapshot } from '../testing/positions-snapshot';
import { buildLivePublisher } from './live-publisher';

const ALICE = '11111111-2222-3333-4444-555555555555';
const PORTFOLIO_ID = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';
const NOW = new Date('2026-11-24T10:00:00.000Z');

interface Scenario {
  subscribers?: string[];
  snapshot?: PortfolioPositions | undefined;
  messenger?: FakeMessengerOptions;
}

/** A publisher over fakes that record what it read, sent, forgot and waited. */
const publisherFor = (scenario: Scenario) => {
  const sent: SentMessage[] = [];
  const forgotten: string[] = [];
  const waits: number[] = [];
  const reads: string[] = [];
  const subscriberQueries: [string, string, number][] = [];
  // jitter draw 0.5: waits are half the ceilings 50, 100, 200, 400 ms
  const retry: RetryPolicy = {
    maxAttempts: 5,
    baseDelayMs: 50,
    maxDelayMs: 2000,
    random: () => 0.5,
    wait: async (ms) => {
      waits.push(ms);
    },
  };
  const publisher = buildLivePublisher({
    messenger: fakeMessenger(sent, scenario.messenger),
    forgetConnection: async (connectionId) => {
      forgotten.push(connectionId);
    },
    subscribersOf: async (sub, portfolioId, nowSeconds) => {
      subscriberQueries.push([sub, portfolioId, nowSeconds]);
      return scenario.subscribers ?? [];
    },
    snapshots: {
      getPortfolioPositions: async (sub, portfolioId) => {
        reads.push(`${sub}/${portfolioId}`);
        return 'snapshot' in scenario ? scenario.snapshot : sampleSnapshot(2);
      },
    },
    now: () => NOW,
    retry,
  });
  return { publisher, sent, forgotten, waits, reads, subscriberQueries };
};

describe('live positions publisher', () => {
  it('reads nothing and sends nothing when nobody is subscribed', async () => {
    const { publisher, sent, reads, subscriberQueries } = publisherFor({ subscribers: [] });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    // 2026-11-24T10:00:00Z = 1795514400 s: only live subscriptions are asked for
    expect(subscriberQueries).toEqual([[ALICE, PORTFOLIO_ID, 1_795_514_400]]);
    expect(reads).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('reads the snapshot once and posts it to every subscribed connection', async () => {
    const { publisher, sent, reads } = publisherFor({ subscribers: ['conn-a=', 'conn-b='] });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    expect(reads).toEqual([`${ALICE}/${PORTFOLIO_ID}`]);
    expect(sent.map((entry) => entry.connectionId).sort()).toEqual(['conn-a=', 'conn-b=']);
    expect(sent[0]?.message).toMatchObject({
      type: 'positions',
      portfolioId: PORTFOLIO_ID,
      part: 1,
      parts: 1,
      positions: sampleSnapshot(2).positions,
    });
  });

  it('forgets a connection that has gone (410) and still serves the others', async () => {
    const { publisher, sent, forgotten } = publisherFor({
      subscribers: ['conn-gone=', 'conn-live='],
      messenger: { goneConnections: ['conn-gone='] },
    });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    expect(forgotten).toEqual(['conn-gone=']);
    expect(sent.map((entry) => entry.connectionId)).toEqual(['conn-live=']);
  });

  it('retries a failing post with capped backoff and jitter until it goes through', async () => {
    const { publisher, sent, waits, forgotten } = publisherFor({
      subscribers: ['conn-a='],
      messenger: { failuresBeforeSuccess: { 'conn-a=': 2 } },
    });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    // two failures: waits of 0.5 × 50 and 0.5 × 100 ms, then the third post is delivered
    expect(waits).toEqual([25, 50]);
    expect(sent.map((entry) => entry.connectionId)).toEqual(['conn-a=']);
    expect(forgotten).toEqual([]);
  });

  it('gives up on a connection after the last attempt without failing the change or the others', async () => {
    const { publisher, sent, waits, forgotten } = publisherFor({
      subscribers: ['conn-broken=', 'conn-ok='],
      messenger: { failuresBeforeSuccess: { 'conn-broken=': 99 } },
    });

    await expect(publisher.positionsChanged(ALICE, PORTFOLIO_ID)).resolves.toBeUndefined();

    // 5 attempts: 4 waits of 0.5 × 50, 100, 200, 400 ms
    expect(waits).toEqual([25, 50, 100, 200]);
    expect(sent.map((entry) => entry.connectionId)).toEqual(['conn-ok=']);
    expect(forgotten).toEqual([]);
  });

  it('posts every part of a large portfolio to each subscriber, in order', async () => {
    const { publisher, sent } = publisherFor({ subscribers: ['conn-a='], snapshot: sampleSnapshot(1200) });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    const parts = sent.map((entry) => (entry.message.type === 'positions' ? entry.message.part : 0));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts).toEqual(Array.from({ length: parts.length }, (_, index) => index + 1));
  });

  it('sends nothing when the portfolio no longer exists', async () => {
    const { publisher, sent } = publisherFor({ subscribers: ['conn-a='], snapshot: undefined });

    await publisher.positionsChanged(ALICE, PORTFOLIO_ID);

    expect(sent).toEqual([]);
  });
});
