import type { ServerMessage } from '@kupala/trade-model';
import type { ConnectionMessenger } from '../adapters/connection-messenger';

export interface SentMessage {
  connectionId: string;
  message: ServerMessage;
}

export interface FakeMessengerOptions {
  /** Every connection has gone (410). */
  gone?: boolean;
  /** These connections have gone (410). */
  goneConnections?: readonly string[];
  /** Every post throws this. */
  failure?: Error;
  /** Posts to a connection throw this many times before one goes through (a throttled @connections). */
  failuresBeforeSuccess?: Readonly<Record<string, number>>;
}

/** Records what would have been posted to @connections; options play clients that left or a failing API. */
export const fakeMessenger = (
  sent: SentMessage[],
  options: FakeMessengerOptions = {},
): ConnectionMessenger => {
  const failuresLeft = new Map(Object.entries(options.failuresBeforeSuccess ?? {}));
  return {
    send: async (connectionId, message) => {
      if (options.failure !== undefined) throw options.failure;
      const failures = failuresLeft.get(connectionId) ?? 0;
      if (failures > 0) {
        failuresLeft.set(connectionId, failures - 1);
        throw new Error(`post to ${connectionId} throttled`);
      }
      if (options.gone === true || options.goneConnections?.includes(connectionId)) return false;
      sent.push({ connectionId, message });
      return true;
    },
  };
};
