import { liveConnection, reconnectDelayMs, type SocketLike } from './reconnect';

describe('reconnectDelayMs', () => {
  it('grows exponentially under a cap, scaled by jitter', () => {
    // base 500: attempt 3 -> 500 * 8 = 4000; random 0.5 -> 2000.
    expect(reconnectDelayMs(3, () => 0.5)).toBe(2000);
    // attempt 10 -> 512000 capped to 30000; random 0.999 -> 29970.
    expect(reconnectDelayMs(10, () => 0.999)).toBe(29970);
    expect(reconnectDelayMs(0, () => 0)).toBe(0);
  });
});

describe('liveConnection', () => {
  it('resubscribes after a reconnect and reports its state', () => {
    const sockets: Array<SocketLike & { sent: string[] }> = [];
    const scheduled: Array<{ run: () => void; ms: number }> = [];
    const states: string[] = [];
    const conn = liveConnection({
      open: () => {
        const socket = {
          sent: [] as string[],
          onopen: null,
          onclose: null,
          onmessage: null,
          close() {},
        } as SocketLike & {
          sent: string[];
        };
        socket.send = (data: string) => socket.sent.push(data);
        sockets.push(socket);
        return socket;
      },
      schedule: (run, ms) => scheduled.push({ run, ms }),
      random: () => 0.5,
      onState: (state) => states.push(state),
      onMessage: () => {},
    });
    conn.start();
    conn.subscribe('p1'); // before open: remembered, sent on open
    sockets[0]?.onopen?.();
    expect(sockets[0]?.sent).toEqual(['{"action":"subscribe","portfolioId":"p1"}']);
    sockets[0]?.onclose?.();
    // first retry: 500 * 2^0 * 0.5 = 250 ms
    expect(scheduled.map((s) => s.ms)).toEqual([250]);
    scheduled[0]?.run();
    sockets[1]?.onopen?.();
    expect(sockets[1]?.sent).toEqual(['{"action":"subscribe","portfolioId":"p1"}']);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
    // unsubscribed portfolios are told to the server and not resubscribed after the next reconnect
    conn.unsubscribe('p1');
    expect(sockets[1]?.sent.at(-1)).toBe('{"action":"unsubscribe","portfolioId":"p1"}');
    sockets[1]?.onclose?.();
    scheduled[1]?.run();
    sockets[2]?.onopen?.();
    expect(sockets[2]?.sent).toEqual([]);
  });
});
