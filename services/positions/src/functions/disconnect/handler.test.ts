import { lambdaContext } from '@kupala/trade-model/testing';
import type { ConnectionsStore } from '../../adapters/connections-store';
import { webSocketEvent } from '../../testing/websocket-events';
import { buildHandler } from './handler';

const fakeConnections = (deleted: string[]): Pick<ConnectionsStore, 'forgetConnection'> => ({
  forgetConnection: async (connectionId) => {
    deleted.push(connectionId);
  },
});

describe('$disconnect', () => {
  it('forgets the connection that closed', async () => {
    // Arrange
    const deleted: string[] = [];
    const handler = buildHandler(() => ({ connections: fakeConnections(deleted) }));

    // Act
    const result = await handler(
      webSocketEvent('$disconnect', { connectionId: 'Zx9-closed=' }),
      lambdaContext(),
    );

    // Assert
    expect(result.statusCode).toBe(200);
    expect(deleted).toEqual(['Zx9-closed=']);
  });
});
