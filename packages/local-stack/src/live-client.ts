import WebSocket from 'ws';

/** A message the server pushed, with when it arrived (performance.now() milliseconds). */
export interface ReceivedMessage {
  receivedAt: number;
  message: Record<string, unknown>;
}

export interface LiveClient {
  /** Every message received so far, in order. */
  readonly received: readonly ReceivedMessage[];
  send(message: unknown): void;
  /**
   * The first message from index `from` on that satisfies `predicate`, waiting up to `timeoutMs` for it;
   * rejects on timeout (with what did arrive) or when the connection closes.
   */
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

export class ConnectionRefusedError extends Error {
  override readonly name = 'ConnectionRefusedError';
  constructor(readonly statusCode: number | undefined) {
    super(`The WebSocket connection was refused${statusCode === undefined ? '' : ` (HTTP ${statusCode})`}`);
  }
}

/**
 * A small WebSocket client of the Kupala live API (`<ws>?token=<JWT>`), for the end-to-end tests and the
 * latency bench: it collects every pushed JSON message and lets a caller wait for the one it expects.
 */
export const connectLive = (url: string, token: string, timeoutMs = 30_000): Promise<LiveClient> =>
  new Promise((resolveClient, rejectClient) => {
    const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    const received: ReceivedMessage[] = [];
    const waiters = new Set<() => void>();
    let closed = false;
    const timer = setTimeout(() => {
      socket.terminate();
      rejectClient(new Error(`No WebSocket connection to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      socket.terminate();
      rejectClient(new ConnectionRefusedError(response.statusCode));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      rejectClient(error);
    });
    socket.on('message', (data) => {
      const receivedAt = performance.now();
      try {
        const message: unknown = JSON.parse(data.toString());
        if (typeof message === 'object' && message !== null && !Array.isArray(message))
          received.push({ receivedAt, message: message as Record<string, unknown> });
      } catch {
        received.push({ receivedAt, message: { unparsed: data.toString() } });
      }
      for (const wake of waiters) wake();
    });
    socket.on('close', () => {
      closed = true;
      for (const wake of waiters) wake();
    });
    socket.on('open', () => {
      clearTimeout(timer);
      resolveClient({
        received,
        send: (message) => socket.send(JSON.stringify(message)),
        next: (predicate, options = {}) =>
          new Promise((resolveMessage, rejectMessage) => {
            let index = options.from ?? 0;
            const check = () => {
              for (; index < received.length; index += 1) {
                const entry = received[index];
                if (entry !== undefined && predicate(entry.message)) {
                  done();
                  resolveMessage(entry);
                  return;
                }
              }
              if (closed) {
                done();
                rejectMessage(new Error('The WebSocket connection closed'));
              }
            };
            const deadline = setTimeout(() => {
              done();
              rejectMessage(
                new Error(
                  `No matching message within ${options.timeoutMs ?? 10_000} ms; received: ${JSON.stringify(
                    received.map((entry) => entry.message),
                  ).slice(0, 2000)}`,
                ),
              );
            }, options.timeoutMs ?? 10_000);
            const done = () => {
              clearTimeout(deadline);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          }),
        close: () =>
          new Promise((resolveClose) => {
            if (closed) {
              resolveClose();
              return;
            }
            socket.once('close', () => resolveClose());
            socket.close();
          }),
      });
    });
  });
