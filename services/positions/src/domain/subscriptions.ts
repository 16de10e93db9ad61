import type { ErrorMessage, ServerMessage, WebSocketConnection } from '@kupala/trade-model';
import { type PositionsSnapshotReader, readPositionsMessages } from './live-publisher';

/** What subscribing needs: ownership, the subscriptions store and the snapshot. */
export interface SubscriptionDependencies {
  /** Undefined when the portfolio does not exist or is another user's (keys start with the owner's sub). */
  ownedPortfolio(sub: string, portfolioId: string): Promise<unknown>;
  subscribe(connection: WebSocketConnection, portfolioId: string): Promise<boolean>;
  /** False when the connection was not subscribed to that portfolio. */
  unsubscribe(connection: WebSocketConnection, portfolioId: string): Promise<boolean>;
  snapshots: PositionsSnapshotReader;
}

/** Another user's or a missing portfolio: the same answer, so a subscription reveals nothing. */
export const portfolioNotFound = (portfolioId: string): ErrorMessage => ({
  type: 'error',
  code: 'NOT_FOUND',
  message: 'Portfolio not found',
  portfolioId,
});

/** Unsubscribing from a portfolio the connection is not subscribed to (the same whoever owns it). */
export const notSubscribed = (portfolioId: string): ErrorMessage => ({
  type: 'error',
  code: 'NOT_FOUND',
  message: 'Not subscribed to this portfolio',
  portfolioId,
});

export const connectionExpired: ErrorMessage = {
  type: 'error',
  code: 'UNAUTHORIZED',
  message: 'The connection has expired; connect again with a fresh token',
};

/**
 * Subscribes a live connection to one of its user's portfolios and answers the full snapshot; anything
 * else gets one error and no subscription. The subscription is stored before the snapshot is read, so a
 * change committed in between is pushed afterwards rather than lost.
 */
export const subscribeToPortfolio = async (
  dependencies: SubscriptionDependencies,
  connection: WebSocketConnection,
  portfolioId: string,
): Promise<ServerMessage[]> => {
  if ((await dependencies.ownedPortfolio(connection.sub, portfolioId)) === undefined)
    return [portfolioNotFound(portfolioId)];
  if (!(await dependencies.subscribe(connection, portfolioId))) return [connectionExpired];
  const messages = await readPositionsMessages(dependencies.snapshots, connection.sub, portfolioId);
  if (messages !== undefined) return messages;
  // deleted since the ownership check
  await dependencies.unsubscribe(connection, portfolioId);
  return [portfolioNotFound(portfolioId)];
};
