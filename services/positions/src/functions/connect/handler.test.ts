import { buildAccessTokenVerifier, type WebSocketConnection } from '@kupala/trade-model';
import {
  lambdaContext,
  type TestIssuer,
  tamperedToken,
  unsignedToken,
  useTestIssuer,
} from '@kupala/trade-model/testing';
import { decodeJwt } from 'jose';
import type { ConnectionsStore } from '../../adapters/connections-store';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const ALICE = '11111111-2222-3333-4444-555555555555';
const MALLORY = '99999999-8888-7777-6666-555555555555';
const CONNECTION_ID = 'L0SM9cOFvHcCIhw=';
const NOW = new Date('2026-11-24T10:00:00.000Z');
// 2026-11-24T10:00:00Z is epoch 1795514400; API Gateway's 2 h limit adds 7200 s.
const EXPIRES_AT = 1_795_514_400 + 7_200;

const connectHandler = (saved: WebSocketConnection[], failure?: Error, now = NOW) => {
  const connections: Pick<ConnectionsStore, 'saveConnection'> = {
    saveConnection: async (connection) => {
      if (failure !== undefined) throw failure;
      saved.push(connection);
    },
  };
  const verifier = buildAccessTokenVerifier();
  return buildHandler(() => ({ verifier, connections, now: () => now }));
};

const connect = (saved: WebSocketConnection[], query: Record<string, string> | undefined, failure?: Error) =>
  connectHandler(saved, failure)(
    webSocketEvent('$connect', { connectionId: CONNECTION_ID, ...(query === undefined ? {} : { query }) }),
    lambdaContext('connect'),
  );

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await useTestIssuer();
});

describe('$connect', () => {
  it('accepts a valid access token and stores the connection bound to its sub', async () => {
    // Arrange
    const saved: WebSocketConnection[] = [];
    const token = await issuer.sign(ALICE);

    // Act
    const result = await connect(saved, { token });

    // Assert
    expect(result.statusCode).toBe(200);
    expect(saved).toEqual([
      {
        connectionId: CONNECTION_ID,
        sub: ALICE,
        connectedAt: '2026-11-24T10:00:00.000Z',
        expiresAt: EXPIRES_AT,
      },
    ]);
  });

  it('ends the connection at the token’s exp when that comes before the two-hour limit', async () => {
    // Arrange: a token valid for 10 more minutes, connecting now
    const saved: WebSocketConnection[] = [];
    const now = new Date();
    const token = await issuer.sign(ALICE, {}, { expiresIn: 600 });
    const { exp } = decodeJwt(token);

    // Act
    const result = await connectHandler(
      saved,
      undefined,
      now,
    )(
      webSocketEvent('$connect', { connectionId: CONNECTION_ID, query: { token } }),
      lambdaContext('connect'),
    );

    // Assert: exp = now + 600 s < now + 7200 s, so the token's exp wins
    expect(result.statusCode).toBe(200);
    expect(saved[0]?.expiresAt).toBe(exp);
    expect(exp).toBeLessThan(Math.floor(now.getTime() / 1000) + 7200);
  });

  it('takes the owner from the token only, never from other query parameters', async () => {
    const saved: WebSocketConnection[] = [];

    const result = await connect(saved, { token: await issuer.sign(ALICE), sub: MALLORY, userId: MALLORY });

    expect(result.statusCode).toBe(200);
    expect(saved.map((connection) => connection.sub)).toEqual([ALICE]);
  });

  it.each<[string, () => Promise<Record<string, string> | undefined>]>([
    ['no query string', async () => undefined],
    ['no token parameter', async () => ({ other: 'x' })],
    ['an empty token', async () => ({ token: '' })],
    ['a token that is not a JWT', async () => ({ token: 'not a token at all' })],
    ['an expired token', async () => ({ token: await issuer.sign(ALICE, {}, { expiresIn: -120 }) })],
    ['a token without exp', async () => ({ token: await issuer.sign(ALICE, {}, { expiresIn: null }) })],
    [
      'a token from another issuer',
      async () => ({ token: await issuer.sign(ALICE, {}, { issuer: 'https://evil.example' }) }),
    ],
    [
      'a token signed by an unknown key',
      async () => ({ token: await issuer.sign(ALICE, {}, { key: issuer.strangerKey }) }),
    ],
    ['a tampered payload', async () => ({ token: tamperedToken(await issuer.sign(ALICE), MALLORY) })],
    ['an alg:none token', async () => ({ token: unsignedToken(MALLORY) })],
    [
      'an id token instead of an access token',
      async () => ({ token: await issuer.sign(ALICE, { token_use: 'id' }) }),
    ],
  ])('refuses %s with 401 and stores nothing', async (_case, makeQuery) => {
    // Arrange
    const saved: WebSocketConnection[] = [];
    const query = await makeQuery();

    // Act
    const result = await connect(saved, query);

    // Assert
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '{}')).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String) },
    });
    expect(saved).toEqual([]);
  });

  it('refuses the connection with a generic 500 when the connection cannot be stored', async () => {
    const result = await connect(
      [],
      { token: await issuer.sign(ALICE) },
      new Error('kupala-test-connections is throttled'),
    );

    expect(result.statusCode).toBe(500);
    expect(result.body).toBe(JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } }));
  });
});
