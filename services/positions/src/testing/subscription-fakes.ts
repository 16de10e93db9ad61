import type { RetryPolicy, WebSocketConnection } from '@kupala/trade-model';
import type { SubscriptionSideEffects } from '../sideEffects';
import { type FakeMessengerOptions, fakeMessenger, type SentMessage } from './fake-messenger';
import { sampleSnapshot } from './positions-snapshot';

export const ALICE = '11111111-2222-3333-4444-555555555555';
export const BOB = '99999999-8888-7777-6666-555555555555';
export const ALICE_PORTFOLIO = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';
export const NOW = new Date('2026-11-24T10:00:00.000Z');
// 2026-11-24T10:00:00Z is epoch 1795514400
const NOW_SECONDS = 1_795_514_400;

export const aliceConnection = (
  connectionId: string,
  expiresAt = NOW_SECONDS + 600,
): WebSocketConnection => ({
  connectionId,
  sub: ALICE,
  connectedAt: '2026-11-24T09:50:00.000Z',
  expiresAt,
});

/** In-memory subscription side effects: Alice owns one portfolio; what the handler did is recorded. */
export const subscriptionFakes = (
  connections: WebSocketConnection[],
  options: { messenger?: FakeMessengerOptions; raceLost?: boolean } = {},
) => {
  const sent: SentMessage[] = [];
  const subscriptions = new Set<string>();
  const reads: string[] = [];
  const retry: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, wait: async () => undefined };
  const effects: SubscriptionSideEffects = {
    messenger: fakeMessenger(sent, options.messenger),
    retry,
    getConnection: async (id) => connections.find((connection) => connection.connectionId === id),
    forgetConnection: async () => undefined,
    ownedPortfolio: async (sub, portfolioId) =>
      sub === ALICE && portfolioId === ALICE_PORTFOLIO
        ? { baseCurrency: 'USD', lotMethod: 'FIFO' }
        : undefined,
    subscribe: async (connection, portfolioId) => {
      if (options.raceLost === true) return false;
      subscriptions.add(`${connection.connectionId}/${portfolioId}`);
      return true;
    },
    unsubscribe: async (connection, portfolioId) =>
      subscriptions.delete(`${connection.connectionId}/${portfolioId}`),
    snapshots: {
      getPortfolioPositions: async (sub, portfolioId) => {
        reads.push(`${sub}/${portfolioId}`);
        return sub === ALICE && portfolioId === ALICE_PORTFOLIO ? sampleSnapshot(2) : undefined;
      },
    },
    now: () => NOW,
  };
  return { effects, sent, subscriptions, reads };
};
