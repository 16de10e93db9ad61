import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type WebSocketConnection, WebSocketConnectionSchema } from '@kupala/trade-model';

// One partition per connection, so what later hangs off a connection (its subscriptions) sits beside it.
const connectionKey = (connectionId: string) => ({ pk: `CONNECTION#${connectionId}`, sk: 'CONNECTION' });

/** DynamoDB access for live WebSocket connections (items expire by TTL on `expiresAt`). */
export const buildConnectionsStore = (client: DynamoDBDocumentClient, tableName: string) => ({
  async saveConnection(connection: WebSocketConnection): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...connectionKey(connection.connectionId), entity: 'CONNECTION', ...connection },
      }),
    );
  },

  async getConnection(connectionId: string): Promise<WebSocketConnection | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: connectionKey(connectionId) }),
    );
    if (Item === undefined) return undefined;
    const { connectionId: id, sub, connectedAt, expiresAt } = Item;
    return WebSocketConnectionSchema.parse({ connectionId: id, sub, connectedAt, expiresAt });
  },

  async deleteConnection(connectionId: string): Promise<void> {
    await client.send(new DeleteCommand({ TableName: tableName, Key: connectionKey(connectionId) }));
  },
});

export type ConnectionsStore = ReturnType<typeof buildConnectionsStore>;
