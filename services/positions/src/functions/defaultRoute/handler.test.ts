import { lambdaContext } from '@kupala/trade-model/testing';
import { fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const CONNECTION_ID = 'Df1-default=';

const send = (sent: SentMessage[], body: string | undefined, failure?: Error) =>
  buildHandler(() => ({
    messenger: fakeMessenger(sent, failure === undefined ? {} : { failure }),
    now: () => new Date('2026-11-24T10:00:00.000Z'),
  }))(
    webSocketEvent('$default', { connectionId: CONNECTION_ID, ...(body === undefined ? {} : { body }) }),
    lambdaContext('defaultRoute'),
  );

describe('$default', () => {
  it.each([
    ['invalid JSON', '{"action":', 'Message is not valid JSON'],
    ['an empty frame', undefined, 'Message must be a JSON object with an "action"'],
    ['a JSON array', '[{"action":"ping"}]', 'Message must be a JSON object with an "action"'],
    ['a non-string action', '{"action":42}', 'Message must be a JSON object with an "action"'],
    [
      'an unknown action',
      '{"action":"buy"}',
      'Unknown action "buy"; actions are subscribe, unsubscribe, ping',
    ],
    [
      'subscribe (served by its own route in API Gateway)',
      '{"action":"subscribe","portfolioId":"01JC9Z8Y7X6W5V4T3S2R1Q0P9N"}',
      'Action "subscribe" is not served by this route',
    ],
    [
      'unsubscribe (served by its own route in API Gateway)',
      '{"action":"unsubscribe","portfolioId":"01JC9Z8Y7X6W5V4T3S2R1Q0P9N"}',
      'Action "unsubscribe" is not served by this route',
    ],
  ])('answers %s with a VALIDATION_FAILED error message', async (_case, body, message) => {
    // Arrange
    const sent: SentMessage[] = [];

    // Act
    const result = await send(sent, body);

    // Assert
    expect(result.statusCode).toBe(200);
    expect(sent).toEqual([
      { connectionId: CONNECTION_ID, message: { type: 'error', code: 'VALIDATION_FAILED', message } },
    ]);
  });

  it('lists what is wrong with a known action whose fields are invalid', async () => {
    const sent: SentMessage[] = [];

    await send(sent, '{"action":"subscribe","portfolioId":"../../etc"}');

    expect(sent[0]?.message).toEqual({
      type: 'error',
      code: 'VALIDATION_FAILED',
      message: 'Invalid subscribe message',
      details: [{ path: 'portfolioId', message: 'must be a valid id' }],
    });
  });

  it('fails with a generic 500 (and no reply) when @connections is unreachable', async () => {
    const sent: SentMessage[] = [];

    const result = await send(sent, '{"action":"buy"}', new Error('connect ECONNREFUSED 127.0.0.1:4302'));

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(sent).toEqual([]);
  });
});
