import { lambdaContext } from '@kupala/trade-model/testing';
import { fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const CONNECTION_ID = 'Pq7-pinging=';
const NOW = new Date('2026-11-24T10:15:30.250Z');

// 2026-11-24T10:15:30Z is epoch 1795515330: a connection valid until then + 60 s is live
const LIVE_CONNECTION = {
  connectionId: CONNECTION_ID,
  sub: '11111111-2222-3333-4444-555555555555',
  connectedAt: '2026-11-24T10:00:00.000Z',
  expiresAt: 1_795_515_330 + 60,
};

const ping = (
  sent: SentMessage[],
  body: string,
  options: { gone?: boolean; connection?: typeof LIVE_CONNECTION | undefined } = {},
) =>
  buildHandler(() => ({
    messenger: fakeMessenger(sent, options),
    getConnection: async () => ('connection' in options ? options.connection : LIVE_CONNECTION),
    now: () => NOW,
  }))(webSocketEvent('ping', { connectionId: CONNECTION_ID, body }), lambdaContext('ping'));

describe('ping', () => {
  it('answers pong with the server time on the same connection', async () => {
    // Arrange
    const sent: SentMessage[] = [];

    // Act
    const result = await ping(sent, '{"action":"ping"}');

    // Assert
    expect(result.statusCode).toBe(200);
    expect(sent).toEqual([
      { connectionId: CONNECTION_ID, message: { type: 'pong', time: '2026-11-24T10:15:30.250Z' } },
    ]);
  });

  it('answers a ping carrying unknown fields with VALIDATION_FAILED naming the field', async () => {
    const sent: SentMessage[] = [];

    await ping(sent, '{"action":"ping","sub":"someone-else"}');

    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toMatchObject({
      type: 'error',
      code: 'VALIDATION_FAILED',
      message: 'Invalid ping message',
    });
    expect(JSON.stringify(sent[0]?.message)).toContain('sub');
  });

  it.each([
    ['an expired connection', { connection: { ...LIVE_CONNECTION, expiresAt: 1_795_515_330 } }],
    ['an unknown connection', { connection: undefined }],
  ])('answers UNAUTHORIZED instead of pong on %s', async (_case, options) => {
    const sent: SentMessage[] = [];

    await ping(sent, '{"action":"ping"}', options);

    expect(sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' }),
    ]);
  });

  it('completes quietly when the client has already gone', async () => {
    const sent: SentMessage[] = [];

    const result = await ping(sent, '{"action":"ping"}', { gone: true });

    expect(result.statusCode).toBe(200);
    expect(sent).toEqual([]);
  });
});
