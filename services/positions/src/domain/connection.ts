import { type AuthenticatedUser, UnauthorizedError, type WebSocketConnection } from '@kupala/trade-model';

/** API Gateway closes every WebSocket connection after two hours; the stored item lives no longer. */
export const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

export const epochSeconds = (time: Date): number => Math.floor(time.getTime() / 1000);

/**
 * The stored form of the connection a verified user opened at `now`: owned by the token's `sub` only, and
 * ending at the token's `exp` or API Gateway's two-hour limit, whichever comes first.
 */
export const openConnection = (
  connectionId: string,
  user: AuthenticatedUser,
  now: Date,
): WebSocketConnection => {
  // The verifier requires `exp`; a user without one never opens a connection.
  if (user.expiresAt === undefined) throw new UnauthorizedError('The token has no expiry');
  return {
    connectionId,
    sub: user.sub,
    connectedAt: now.toISOString(),
    expiresAt: Math.min(user.expiresAt, epochSeconds(now) + CONNECTION_LIFETIME_SECONDS),
  };
};

/** A connection acts only until it expires (its item may outlive that: TTL deletion is lazy). */
export const isLive = (
  connection: WebSocketConnection | undefined,
  now: Date,
): connection is WebSocketConnection => connection !== undefined && connection.expiresAt > epochSeconds(now);
