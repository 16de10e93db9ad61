import { lambdaContext } from '@kupala/trade-model/testing';
import { ALICE_PORTFOLIO, aliceConnection, subscriptionFakes } from '../../testing/subscription-fakes';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const CONNECTION_ID = 'Unsub-conn-1=';

const unsubscribe = (fakes: ReturnType<typeof subscriptionFakes>, body: string) =>
  buildHandler(() => fakes.effects)(
    webSocketEvent('unsubscribe', { connectionId: CONNECTION_ID, body }),
    lambdaContext('unsubscribe'),
  );

describe('unsubscribe', () => {
  it('removes the subscription and answers nothing', async () => {
    // Arrange
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);
    fakes.subscriptions.add(`${CONNECTION_ID}/${ALICE_PORTFOLIO}`);

    // Act
    const result = await unsubscribe(fakes, `{"action":"unsubscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    // Assert
    expect(result.statusCode).toBe(200);
    expect(fakes.subscriptions.size).toBe(0);
    expect(fakes.sent).toEqual([]);
  });

  it('answers one NOT_FOUND error when the connection is not subscribed to that portfolio', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);

    await unsubscribe(fakes, `{"action":"unsubscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    expect(fakes.sent.map((entry) => entry.message)).toEqual([
      {
        type: 'error',
        code: 'NOT_FOUND',
        message: 'Not subscribed to this portfolio',
        portfolioId: ALICE_PORTFOLIO,
      },
    ]);
  });

  it('refuses a message on an expired connection', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID, 1_795_514_000)]);
    fakes.subscriptions.add(`${CONNECTION_ID}/${ALICE_PORTFOLIO}`);

    await unsubscribe(fakes, `{"action":"unsubscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    expect(fakes.sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' }),
    ]);
  });

  it('answers VALIDATION_FAILED for a portfolio id that is not an id', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);

    await unsubscribe(fakes, '{"action":"unsubscribe","portfolioId":"../../etc"}');

    expect(fakes.sent[0]?.message).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
  });
});
