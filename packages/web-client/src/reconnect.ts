/** WebSocket reconnect policy: capped exponential backoff with full jitter, resubscribe on every open. */
export interface ReconnectPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { baseMs: 500, capMs: 30_000 };

/** Delay before reconnect attempt `attempt` (0-based): uniform in [0, min(cap, base * 2^attempt)). */
export const reconnectDelayMs = (attempt: number, random: () => number, policy = DEFAULT_RECONNECT): number =>
  Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30)));

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onmessage: ((event: { data: string }) => void) | null;
}

export interface LiveConnectionDeps {
  open: () => SocketLike;
  schedule: (run: () => void, ms: number) => void;
  random: () => number;
  onState: (state: ConnectionState) => void;
  onMessage: (data: string) => void;
}

/** Keeps one socket open; after every (re)open sends the subscribe messages for the current subscriptions. */
export const liveConnection = (deps: LiveConnectionDeps) => {
  const subscriptions = new Map<string, string>();
  let socket: SocketLike | null = null;
  let attempt = 0;
  let isOpen = false;
  let stopped = false;

  const connect = (): void => {
    deps.onState(attempt === 0 ? 'connecting' : 'reconnecting');
    const current = deps.open();
    socket = current;
    current.onopen = () => {
      attempt = 0;
      isOpen = true;
      deps.onState('open');
      for (const message of subscriptions.values()) current.send(message);
    };
    current.onmessage = (event) => deps.onMessage(event.data);
    current.onclose = () => {
      isOpen = false;
      if (stopped) return;
      const delay = reconnectDelayMs(attempt, deps.random);
      attempt += 1;
      deps.onState('reconnecting');
      deps.schedule(connect, delay);
    };
  };

  return {
    start: connect,
    subscribe(portfolioId: string): void {
      const message = JSON.stringify({ action: 'subscribe', portfolioId });
      subscriptions.set(portfolioId, message);
      if (isOpen) socket?.send(message);
    },
    unsubscribe(portfolioId: string): void {
      if (!subscriptions.delete(portfolioId)) return;
      if (isOpen) socket?.send(JSON.stringify({ action: 'unsubscribe', portfolioId }));
    },
    stop(): void {
      stopped = true;
      socket?.close();
    },
  };
};
