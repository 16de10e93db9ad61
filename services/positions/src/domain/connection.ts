import type { AuthenticatedUser, WebSocketConnection } from '@kupala/trade-model';

/** API Gateway closes every WebSocket connection after two hours; the stored item lives no longer. */
export const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

/** The stored form of the connection a verified user opened at `now`: owned by the token's `sub` only. */
export const openConnection = (
  connectionId: string,
  user: AuthenticatedUser,
  now: Date,
): WebSocketConnection => ({
  connectionId,
  sub: user.sub,
  connectedAt: now.toISOString(),
  expiresAt: Math.floor(now.getTime() / 1000) + CONNECTION_LIFETIME_SECONDS,
});
