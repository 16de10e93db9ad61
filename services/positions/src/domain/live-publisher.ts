import type { PortfolioPositions } from '@kupala/trade-model';
import { epochSeconds } from './connection';
import { type DeliveryDependencies, deliverToAll } from './delivery';
import { positionsMessages } from './positions-messages';
import type { PositionsPublisher } from './publisher';

/** Reads a portfolio's current positions (the `GET …/positions` body); undefined when it is not the user's. */
export interface PositionsSnapshotReader {
  getPortfolioPositions(
    sub: string,
    portfolioId: string,
    options: { includeClosed: boolean },
  ): Promise<PortfolioPositions | undefined>;
}

export interface LivePublisherDependencies extends DeliveryDependencies {
  subscribersOf(sub: string, portfolioId: string, nowSeconds: number): Promise<string[]>;
  snapshots: PositionsSnapshotReader;
  now: () => Date;
}

/** The current positions of an owned portfolio as `positions` messages (open positions, as GET answers). */
export const readPositionsMessages = async (
  snapshots: PositionsSnapshotReader,
  sub: string,
  portfolioId: string,
) => {
  const snapshot = await snapshots.getPortfolioPositions(sub, portfolioId, { includeClosed: false });
  return snapshot === undefined ? undefined : positionsMessages(portfolioId, snapshot);
};

/**
 * Pushes a portfolio's positions to its subscribers after every committed change: the snapshot is read once
 * (and only when someone listens) and posted to each live subscribed connection of that user.
 */
export const buildLivePublisher = (dependencies: LivePublisherDependencies): PositionsPublisher => ({
  async positionsChanged(sub, portfolioId) {
    const subscribers = await dependencies.subscribersOf(sub, portfolioId, epochSeconds(dependencies.now()));
    if (subscribers.length === 0) return;
    const messages = await readPositionsMessages(dependencies.snapshots, sub, portfolioId);
    if (messages === undefined) return;
    await deliverToAll(dependencies, subscribers, messages);
  },
});
