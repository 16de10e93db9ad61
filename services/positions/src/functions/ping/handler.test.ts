import { lambdaContext } from '@kupala/trade-model/testing';
import { fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const CONNECTION_ID = 'Pq7-pinging=';
const NOW = new Date('2026-11-24T10:15:30.250Z');

const ping = (sent: SentMessage[], body: string, options: { gone?: boolean } = {}) =>
  buildHandler(() => ({ messenger: fakeMessenger(sent, options), now: () => NOW }))(
    webSocketEvent('ping', { connectionId: CONNECTION_ID, body }),
    lambdaContext('ping'),
  );

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

  it('completes quietly when the client has already gone', async () => {
    const sent: SentMessage[] = [];

    const result = await ping(sent, '{"action":"ping"}', { gone: true });

    expect(result.statusCode).toBe(200);
    expect(sent).toEqual([]);
  });
});
