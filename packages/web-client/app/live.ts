import { type ConnectionState, liveConnection, type SocketLike } from '../src/reconnect';

/** One WebSocket for the signed-in user, reconnecting with backoff and resubscribing on every open. */
export const openLive = (
  wsUrl: string,
  token: string,
  onMessage: (message: Record<string, unknown>) => void,
  onState: (state: ConnectionState) => void,
) =>
  liveConnection({
    open: (): SocketLike => {
      const socket = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
      const adapter: SocketLike = {
        send: (data) => socket.send(data),
        close: () => socket.close(),
        onopen: null,
        onclose: null,
        onmessage: null,
      };
      socket.onopen = () => adapter.onopen?.();
      socket.onclose = () => adapter.onclose?.();
      socket.onmessage = (event) => {
        if (typeof event.data === 'string') adapter.onmessage?.({ data: event.data });
      };
      return adapter;
    },
    schedule: (run, ms) => {
      setTimeout(run, ms);
    },
    random: Math.random,
    onState,
    onMessage: (data) => {
      try {
        const parsed: unknown = JSON.parse(data);
        if (typeof parsed === 'object' && parsed !== null) onMessage(parsed as Record<string, unknown>);
      } catch {
        // not JSON: nothing the client understands
      }
    },
  });

export type LiveSocket = ReturnType<typeof openLive>;
