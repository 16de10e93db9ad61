import { lambdaContext } from '@kupala/trade-model/testing';
import { sampleSnapshot } from '../../testing/positions-snapshot';
import { ALICE, ALICE_PORTFOLIO, aliceConnection, subscriptionFakes } from '../../testing/subscription-fakes';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const CONNECTION_ID = 'Sub-conn-1=';
const OTHER_PORTFOLIO = '01JD0000000000000000000000';

const subscribe = (fakes: ReturnType<typeof subscriptionFakes>, body: string) =>
  buildHandler(() => fakes.effects)(
    webSocketEvent('subscribe', { connectionId: CONNECTION_ID, body }),
    lambdaContext('subscribe'),
  );

describe('subscribe', () => {
  it('subscribes to an owned portfolio and answers its full positions snapshot', async () => {
    // Arrange
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);

    // Act
    const result = await subscribe(fakes, `{"action":"subscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    // Assert
    expect(result.statusCode).toBe(200);
    expect([...fakes.subscriptions]).toEqual([`${CONNECTION_ID}/${ALICE_PORTFOLIO}`]);
    const snapshot = sampleSnapshot(2);
    expect(fakes.sent).toEqual([
      {
        connectionId: CONNECTION_ID,
        message: {
          type: 'positions',
          portfolioId: ALICE_PORTFOLIO,
          asOf: snapshot.asOf,
          part: 1,
          parts: 1,
          baseCurrency: 'USD',
          positions: snapshot.positions,
          cash: snapshot.cash,
          totals: snapshot.totals,
        },
      },
    ]);
  });

  it('refuses another user’s (or a missing) portfolio with one error and nothing else', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);

    await subscribe(fakes, `{"action":"subscribe","portfolioId":"${OTHER_PORTFOLIO}"}`);

    expect(fakes.sent).toEqual([
      {
        connectionId: CONNECTION_ID,
        message: {
          type: 'error',
          code: 'NOT_FOUND',
          message: 'Portfolio not found',
          portfolioId: OTHER_PORTFOLIO,
        },
      },
    ]);
    expect(fakes.subscriptions.size).toBe(0);
    expect(fakes.reads).toEqual([]);
  });

  it.each([
    ['an expired connection', [aliceConnection(CONNECTION_ID, 1_795_514_400)]],
    ['an unknown connection', []],
  ])('refuses a subscribe on %s', async (_case, connections) => {
    const fakes = subscriptionFakes(connections);

    await subscribe(fakes, `{"action":"subscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    expect(fakes.sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' }),
    ]);
    expect(fakes.subscriptions.size).toBe(0);
    expect(fakes.reads).toEqual([]);
  });

  it('answers VALIDATION_FAILED for a malformed subscribe, naming the field', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)]);

    await subscribe(fakes, `{"action":"subscribe","portfolioId":"${ALICE_PORTFOLIO}","sub":"${ALICE}"}`);

    expect(fakes.sent).toHaveLength(1);
    expect(fakes.sent[0]?.message).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(fakes.sent[0]?.message)).toContain('sub');
    expect(fakes.subscriptions.size).toBe(0);
  });

  it('answers the connection-expired error when $disconnect won the race', async () => {
    const fakes = subscriptionFakes([aliceConnection(CONNECTION_ID)], { raceLost: true });

    await subscribe(fakes, `{"action":"subscribe","portfolioId":"${ALICE_PORTFOLIO}"}`);

    expect(fakes.sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' }),
    ]);
    expect(fakes.reads).toEqual([]);
  });
});
