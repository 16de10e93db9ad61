import type { ServerMessage } from '@kupala/trade-model';
import type { ConnectionMessenger } from '../adapters/connection-messenger';

export interface SentMessage {
  connectionId: string;
  message: ServerMessage;
}

/** Records what would have been posted to @connections; `gone` plays a client that already left. */
export const fakeMessenger = (
  sent: SentMessage[],
  options: { gone?: boolean; failure?: Error } = {},
): ConnectionMessenger => ({
  send: async (connectionId, message) => {
    if (options.failure !== undefined) throw options.failure;
    if (options.gone === true) return false;
    sent.push({ connectionId, message });
    return true;
  },
});
