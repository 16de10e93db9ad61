import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localSubFor, tokenFor } from '@kupala/local-stack';
import { createDocumentClient, getEnvVariable, type RetryPolicy } from '@kupala/trade-model';
import { lambdaContext } from '@kupala/trade-model/testing';
import { buildConnectionsStore } from '../../adapters/connections-store';
import { buildPortfoliosReader } from '../../adapters/portfolios-reader';
import { epochSeconds } from '../../domain/connection';
import { buildLivePublisher } from '../../domain/live-publisher';
import type { SubscriptionSideEffects } from '../../sideEffects';
import { type FakeMessengerOptions, fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { sampleSnapshot } from '../../testing/positions-snapshot';
import { webSocketEvent } from '../../testing/websocket-events';
import { main as connect } from '../connect/handler';
import { main as disconnect } from '../disconnect/handler';
import { buildHandler as buildUnsubscribe } from '../unsubscribe/handler';
import { buildHandler as buildSubscribe } from './handler';

// Real connections store and portfolio ownership on DynamoDB Local, real $connect (verifier + local issuer);
// the @connections API is a recording fake and the figures a fixed snapshot (the engine is not under test).
const client = createDocumentClient();
const connectionsTable = getEnvVariable('CONNECTIONS_TABLE');
const tradesTable = getEnvVariable('TRADES_TABLE');
const store = () => buildConnectionsStore(client, connectionsTable);
const uniqueId = () => `it-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}=`;
// a ULID-shaped id (Crockford base32, 26 characters) unique to this run
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newPortfolioId = () =>
  `01JM${Array.from({ length: 22 }, () => CROCKFORD[Math.floor(Math.random() * 32)]).join('')}`;
const quietRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

const createPortfolio = async (sub: string, portfolioId: string) => {
  await client.send(
    new PutCommand({
      TableName: tradesTable,
      Item: {
        pk: `USER#${sub}`,
        sk: `PORTFOLIO#${portfolioId}`,
        entity: 'PORTFOLIO',
        portfolioId,
        name: 'Live',
        baseCurrency: 'USD',
        lotMethod: 'FIFO',
      },
    }),
  );
};

const openConnection = async (username: string): Promise<string> => {
  const connectionId = uniqueId();
  const result = await connect(
    webSocketEvent('$connect', { connectionId, query: { token: await tokenFor(username) } }),
    lambdaContext(),
  );
  expect(result.statusCode).toBe(200);
  return connectionId;
};

const sideEffects = (
  sent: SentMessage[],
  options: FakeMessengerOptions = {},
  documentClient: DynamoDBDocumentClient = client,
): SubscriptionSideEffects => {
  const connections = buildConnectionsStore(documentClient, connectionsTable);
  return {
    messenger: fakeMessenger(sent, options),
    retry: quietRetry,
    getConnection: connections.getConnection,
    forgetConnection: connections.forgetConnection,
    subscribe: connections.subscribe,
    unsubscribe: connections.unsubscribe,
    ownedPortfolio: buildPortfoliosReader(documentClient, tradesTable).getPortfolioSettings,
    snapshots: { getPortfolioPositions: async () => sampleSnapshot(2) },
    now: () => new Date(),
  };
};

const publisherWith = (sent: SentMessage[], options: FakeMessengerOptions = {}) => {
  const connections = store();
  return buildLivePublisher({
    messenger: fakeMessenger(sent, options),
    retry: quietRetry,
    forgetConnection: connections.forgetConnection,
    subscribersOf: connections.subscribersOf,
    snapshots: { getPortfolioPositions: async () => sampleSnapshot(3) },
    now: () => new Date(),
  });
};

const send = (
  route: 'subscribe' | 'unsubscribe',
  connectionId: string,
  portfolioId: string,
  effects: SubscriptionSideEffects,
) =>
  (route === 'subscribe' ? buildSubscribe : buildUnsubscribe)(() => effects)(
    webSocketEvent(route, { connectionId, body: JSON.stringify({ action: route, portfolioId }) }),
    lambdaContext(route),
  );

const partitionOf = async (connectionId: string) =>
  (
    await client.send(
      new QueryCommand({
        TableName: connectionsTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CONNECTION#${connectionId}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const ALICE = localSubFor('alice');

describe('live subscriptions against DynamoDB Local', () => {
  it('pushes an owned portfolio to its subscribers only; another user’s subscribe gets one error and no pushes', async () => {
    // Arrange: Alice owns a portfolio, has two connections; Bob has one
    const portfolioId = newPortfolioId();
    await createPortfolio(ALICE, portfolioId);
    const aliceSubscribed = await openConnection('alice');
    const aliceIdle = await openConnection('alice');
    const bob = await openConnection('bob');
    const replies: SentMessage[] = [];

    // Act: Alice subscribes on one connection, Bob tries her portfolio, then the positions change
    await send('subscribe', aliceSubscribed, portfolioId, sideEffects(replies));
    await send('subscribe', bob, portfolioId, sideEffects(replies));
    const pushed: SentMessage[] = [];
    await publisherWith(pushed).positionsChanged(ALICE, portfolioId);

    // Assert
    expect(replies.map((entry) => [entry.connectionId, entry.message.type])).toEqual([
      [aliceSubscribed, 'positions'],
      [bob, 'error'],
    ]);
    expect(replies[1]?.message).toEqual({
      type: 'error',
      code: 'NOT_FOUND',
      message: 'Portfolio not found',
      portfolioId,
    });
    expect(pushed.map((entry) => entry.connectionId)).toEqual([aliceSubscribed]);
    expect(pushed[0]?.message).toMatchObject({
      type: 'positions',
      portfolioId,
      positions: sampleSnapshot(3).positions,
    });
    expect(await store().subscribersOf(localSubFor('bob'), portfolioId, epochSeconds(new Date()))).toEqual(
      [],
    );
    expect(aliceIdle).not.toBe(aliceSubscribed);
  });

  it('stops pushing after unsubscribe', async () => {
    const portfolioId = newPortfolioId();
    await createPortfolio(ALICE, portfolioId);
    const connectionId = await openConnection('alice');
    await send('subscribe', connectionId, portfolioId, sideEffects([]));

    await send('unsubscribe', connectionId, portfolioId, sideEffects([]));
    const pushed: SentMessage[] = [];
    await publisherWith(pushed).positionsChanged(ALICE, portfolioId);

    expect(pushed).toEqual([]);
    expect((await partitionOf(connectionId)).map((item) => item.sk)).toEqual(['CONNECTION']);
  });

  it('forgets a connection that has gone (410): its item, subscriptions and index entries', async () => {
    // Arrange: one connection subscribed to two portfolios
    const first = newPortfolioId();
    const second = newPortfolioId();
    await createPortfolio(ALICE, first);
    await createPortfolio(ALICE, second);
    const connectionId = await openConnection('alice');
    await send('subscribe', connectionId, first, sideEffects([]));
    await send('subscribe', connectionId, second, sideEffects([]));
    expect(await partitionOf(connectionId)).toHaveLength(3);

    // Act
    await publisherWith([], { goneConnections: [connectionId] }).positionsChanged(ALICE, first);

    // Assert
    const now = epochSeconds(new Date());
    expect(await partitionOf(connectionId)).toEqual([]);
    expect(await store().subscribersOf(ALICE, first, now)).toEqual([]);
    expect(await store().subscribersOf(ALICE, second, now)).toEqual([]);
    expect(await store().connectionsOf(ALICE, now)).not.toContain(connectionId);
  });

  it('$disconnect removes the subscriptions with the connection', async () => {
    const portfolioId = newPortfolioId();
    await createPortfolio(ALICE, portfolioId);
    const connectionId = await openConnection('alice');
    await send('subscribe', connectionId, portfolioId, sideEffects([]));

    await disconnect(webSocketEvent('$disconnect', { connectionId }), lambdaContext());

    expect(await partitionOf(connectionId)).toEqual([]);
    expect(await store().subscribersOf(ALICE, portfolioId, epochSeconds(new Date()))).toEqual([]);
  });

  it('stores no subscription for a connection $disconnect removed first', async () => {
    // Arrange: a connection that is forgotten before its subscribe is stored
    const portfolioId = newPortfolioId();
    const connectionId = uniqueId();
    const connection = {
      connectionId,
      sub: ALICE,
      connectedAt: new Date().toISOString(),
      expiresAt: epochSeconds(new Date()) + 600,
    };
    await store().saveConnection(connection);
    await store().forgetConnection(connectionId);

    // Act
    const stored = await store().subscribe(connection, portfolioId);

    // Assert
    expect(stored).toBe(false);
    expect(await partitionOf(connectionId)).toEqual([]);
    expect(await store().subscribersOf(ALICE, portfolioId, epochSeconds(new Date()))).toEqual([]);
  });

  it('ignores an expired connection whose items TTL has not removed yet, and refuses its messages', async () => {
    // Arrange: a connection that expired a minute ago, subscribed while it was live
    const portfolioId = newPortfolioId();
    await createPortfolio(ALICE, portfolioId);
    const connectionId = uniqueId();
    const expiresAt = epochSeconds(new Date()) - 60;
    const connection = { connectionId, sub: ALICE, connectedAt: new Date().toISOString(), expiresAt };
    await store().saveConnection(connection);
    await store().subscribe(connection, portfolioId);
    const replies: SentMessage[] = [];

    // Act
    const pushed: SentMessage[] = [];
    await publisherWith(pushed).positionsChanged(ALICE, portfolioId);
    await send('subscribe', connectionId, portfolioId, sideEffects(replies));

    // Assert
    expect(pushed).toEqual([]);
    expect(replies.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'error', code: 'UNAUTHORIZED' }),
    ]);
  });

  it('finishes forgetting a connection on a retry after a write failed half-way', async () => {
    // Arrange: two subscriptions, and a client whose first batch write throws
    const first = newPortfolioId();
    const second = newPortfolioId();
    await createPortfolio(ALICE, first);
    await createPortfolio(ALICE, second);
    const connectionId = await openConnection('alice');
    await send('subscribe', connectionId, first, sideEffects([]));
    await send('subscribe', connectionId, second, sideEffects([]));
    let batchWrites = 0;
    const faulty = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: { constructor: { name: string } }) => {
          if (command.constructor.name === 'BatchWriteCommand') {
            batchWrites += 1;
            if (batchWrites === 1) throw new Error('injected failure');
          }
          return target.send(command as never);
        };
      },
    }) as DynamoDBDocumentClient;

    // Act: the first attempt fails before anything is deleted; the connection stays findable
    await expect(
      buildConnectionsStore(faulty, connectionsTable).forgetConnection(connectionId),
    ).rejects.toThrow('injected failure');
    const afterFailure = (await partitionOf(connectionId)).map((item) => item.sk);
    await buildConnectionsStore(faulty, connectionsTable).forgetConnection(connectionId);

    // Assert
    expect(afterFailure).toContain('CONNECTION');
    expect(await partitionOf(connectionId)).toEqual([]);
    const now = epochSeconds(new Date());
    expect(await store().subscribersOf(ALICE, first, now)).toEqual([]);
    expect(await store().subscribersOf(ALICE, second, now)).toEqual([]);
  });
});
