import { tokenFor } from '@kupala/local-stack';
import { createDocumentClient, getEnvVariable } from '@kupala/trade-model';
import { lambdaContext } from '@kupala/trade-model/testing';
import { decodeJwt } from 'jose';
import { buildConnectionsStore } from '../../adapters/connections-store';
import { webSocketEvent } from '../../testing/websocket-events';
import { main as disconnect } from '../disconnect/handler';
import { main as connect } from './handler';

// Real handlers, real verifier (local issuer keys), DynamoDB Local table from the packaged `test` template.
const connections = () => buildConnectionsStore(createDocumentClient(), getEnvVariable('CONNECTIONS_TABLE'));
const uniqueConnectionId = () => `it-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}=`;

describe('connection lifecycle against DynamoDB Local', () => {
  it('stores a verified connection under the token’s sub, until its exp, and $disconnect deletes it', async () => {
    // Arrange
    const token = await tokenFor('alice');
    const sub = decodeJwt(token).sub;
    const connectionId = uniqueConnectionId();

    // Act
    const connected = await connect(
      webSocketEvent('$connect', { connectionId, query: { token } }),
      lambdaContext(),
    );
    const stored = await connections().getConnection(connectionId);
    const disconnected = await disconnect(webSocketEvent('$disconnect', { connectionId }), lambdaContext());
    const afterDisconnect = await connections().getConnection(connectionId);

    // Assert
    expect(connected.statusCode).toBe(200);
    expect(stored).toMatchObject({ connectionId, sub });
    // local tokens live 1 h, less than API Gateway's 2 h: the connection ends at the token's exp
    expect(stored?.expiresAt).toBe(decodeJwt(token).exp);
    expect(disconnected.statusCode).toBe(200);
    expect(afterDisconnect).toBeUndefined();
  });

  it.each([
    ['no token', async () => ({})],
    ['an expired token', async () => ({ token: await tokenFor('alice', { expiresInSeconds: -60 }) })],
    ['a tampered token', async () => ({ token: `${await tokenFor('alice')}x` })],
  ])('refuses %s with 401 and stores nothing', async (_case, makeQuery) => {
    const connectionId = uniqueConnectionId();

    const result = await connect(
      webSocketEvent('$connect', { connectionId, query: await makeQuery() }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(401);
    await expect(connections().getConnection(connectionId)).resolves.toBeUndefined();
  });

  it('treats a $disconnect of an unknown connection as done', async () => {
    const result = await disconnect(
      webSocketEvent('$disconnect', { connectionId: uniqueConnectionId() }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
  });
});
