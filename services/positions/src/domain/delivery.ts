import {
  DEFAULT_RETRY_POLICY,
  logger,
  RetriesExhaustedError,
  type RetryPolicy,
  retryWithBackoff,
  type ServerMessage,
  ServerMessageTooLargeError,
} from '@kupala/trade-model';
import type { ConnectionMessenger } from '../adapters/connection-messenger';

/** What pushing to connections needs: the messenger, and a way to forget a connection that has gone. */
export interface DeliveryDependencies {
  messenger: ConnectionMessenger;
  forgetConnection(connectionId: string): Promise<void>;
  retry?: RetryPolicy;
}

export type DeliveryOutcome = 'delivered' | 'gone' | 'failed';

/**
 * Posts `messages` in order to one connection. A 410 Gone forgets the connection and its subscriptions;
 * any other failure is retried with capped exponential backoff and jitter, then given up on (logged): a
 * push is never worth failing the change that caused it, and the next change sends the whole state again.
 */
export const deliver = async (
  dependencies: DeliveryDependencies,
  connectionId: string,
  messages: readonly ServerMessage[],
): Promise<DeliveryOutcome> => {
  const { messenger, retry = DEFAULT_RETRY_POLICY } = dependencies;
  try {
    for (const message of messages) {
      const delivered = await retryWithBackoff(
        'post to connection',
        async () => {
          try {
            return { done: true, value: await messenger.send(connectionId, message) };
          } catch (error: unknown) {
            // A message too large stays too large: a bug to surface, not a hiccup to retry.
            if (error instanceof ServerMessageTooLargeError) throw error;
            return { done: false, cause: error };
          }
        },
        retry,
      );
      if (!delivered) {
        await dependencies.forgetConnection(connectionId);
        return 'gone';
      }
    }
    return 'delivered';
  } catch (error: unknown) {
    if (!(error instanceof RetriesExhaustedError)) throw error;
    logger.warn('push to a connection given up after retries', { connectionId, error: error.cause });
    return 'failed';
  }
};

/** Posts the same messages to many connections at once; one slow or failing connection holds up no other. */
export const deliverToAll = (
  dependencies: DeliveryDependencies,
  connectionIds: readonly string[],
  messages: readonly ServerMessage[],
): Promise<DeliveryOutcome[]> =>
  Promise.all(connectionIds.map((connectionId) => deliver(dependencies, connectionId, messages)));
