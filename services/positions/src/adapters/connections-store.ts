import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  batchWriteAll,
  cancellationCodes,
  isConditionFailure,
  type WebSocketConnection,
  WebSocketConnectionSchema,
} from '@kupala/trade-model';

/**
 * Key layout of the Connections table (every item expires by TTL on `expiresAt`, the connection's own end):
 *
 * | pk | sk | what |
 * |---|---|---|
 * | `CONNECTION#<id>` | `CONNECTION` | the connection, bound to the token's `sub` |
 * | `CONNECTION#<id>` | `SUBSCRIPTION#<portfolioId>` | a portfolio it subscribed to |
 * | `USER#<sub>#CONNECTIONS` | `<id>` | the user's open connections (import progress) |
 * | `USER#<sub>#PORTFOLIO#<portfolioId>#SUBSCRIBERS` | `<id>` | who to push a portfolio's positions to |
 *
 * A connection's partition holds everything that hangs off it, so forgetting it is one query and one batch.
 */
const connectionPartition = (connectionId: string) => `CONNECTION#${connectionId}`;
const connectionKey = (connectionId: string) => ({ pk: connectionPartition(connectionId), sk: 'CONNECTION' });
const SUBSCRIPTION_PREFIX = 'SUBSCRIPTION#';
const subscriptionKey = (connectionId: string, portfolioId: string) => ({
  pk: connectionPartition(connectionId),
  sk: `${SUBSCRIPTION_PREFIX}${portfolioId}`,
});
const userConnectionsPartition = (sub: string) => `USER#${sub}#CONNECTIONS`;
const subscribersPartition = (sub: string, portfolioId: string) =>
  `USER#${sub}#PORTFOLIO#${portfolioId}#SUBSCRIBERS`;

type Item = Record<string, unknown>;

/** DynamoDB access for live WebSocket connections and their portfolio subscriptions. */
export const buildConnectionsStore = (client: DynamoDBDocumentClient, tableName: string) => {
  // Expired items may outlive their TTL by hours (deletion is lazy): every read filters on expiresAt.
  const liveConnectionIds = async (pk: string, nowSeconds: number): Promise<string[]> => {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': pk, ':now': nowSeconds },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.sk));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return ids;
  };

  return {
    /** Stores the connection and its place in the user's index, together. */
    async saveConnection(connection: WebSocketConnection): Promise<void> {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...connectionKey(connection.connectionId), entity: 'CONNECTION', ...connection },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  pk: userConnectionsPartition(connection.sub),
                  sk: connection.connectionId,
                  entity: 'USER_CONNECTION',
                  expiresAt: connection.expiresAt,
                },
              },
            },
          ],
        }),
      );
    },

    async getConnection(connectionId: string): Promise<WebSocketConnection | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
      );
      if (Item === undefined) return undefined;
      const { connectionId: id, sub, connectedAt, expiresAt } = Item;
      return WebSocketConnectionSchema.parse({ connectionId: id, sub, connectedAt, expiresAt });
    },

    /**
     * Subscribes the connection to one of its user's portfolios (the caller checked ownership); false when
     * the connection is gone (a `$disconnect` won the race), so no subscription outlives its connection.
     */
    async subscribe(connection: WebSocketConnection, portfolioId: string): Promise<boolean> {
      const { connectionId, sub, expiresAt } = connection;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: connectionKey(connectionId),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...subscriptionKey(connectionId, portfolioId),
                    entity: 'SUBSCRIPTION',
                    sub,
                    portfolioId,
                    expiresAt,
                  },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: subscribersPartition(sub, portfolioId),
                    sk: connectionId,
                    entity: 'SUBSCRIBER',
                    expiresAt,
                  },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error: unknown) {
        // the ConditionCheck (first item) failed: the connection is gone; conflicts and the rest surface
        if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },

    /** Removes one subscription of the connection (nothing happens when there was none). */
    /** Removes a subscription; false when there was none (nothing is written then). */
    async unsubscribe(connection: WebSocketConnection, portfolioId: string): Promise<boolean> {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: subscriptionKey(connection.connectionId, portfolioId),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Delete: {
                  TableName: tableName,
                  Key: { pk: subscribersPartition(connection.sub, portfolioId), sk: connection.connectionId },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** Live connections subscribed to the user's portfolio. */
    subscribersOf(sub: string, portfolioId: string, nowSeconds: number): Promise<string[]> {
      return liveConnectionIds(subscribersPartition(sub, portfolioId), nowSeconds);
    },

    /** Every live connection of the user. */
    connectionsOf(sub: string, nowSeconds: number): Promise<string[]> {
      return liveConnectionIds(userConnectionsPartition(sub), nowSeconds);
    },

    /** Deletes the connection, its subscriptions and its index entries (idempotent). */
    async forgetConnection(connectionId: string): Promise<void> {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': connectionPartition(connectionId) },
          ProjectionExpression: 'pk, sk, #sub, portfolioId',
          ExpressionAttributeNames: { '#sub': 'sub' },
          ConsistentRead: true,
        }),
      );
      const keys = Items.flatMap((item): Item[] => {
        const own = { pk: item.pk, sk: item.sk };
        const sub = String(item.sub);
        if (item.sk === 'CONNECTION') return [own, { pk: userConnectionsPartition(sub), sk: connectionId }];
        return [own, { pk: subscribersPartition(sub, String(item.portfolioId)), sk: connectionId }];
      });
      // The connection item goes last: while it exists, a retry finds the rest again.
      const isConnectionItem = (key: Item) =>
        key.pk === connectionPartition(connectionId) && key.sk === 'CONNECTION';
      const deletes = (selected: Item[]) => selected.map((Key) => ({ DeleteRequest: { Key } }));
      await batchWriteAll(client, tableName, deletes(keys.filter((key) => !isConnectionItem(key))));
      await batchWriteAll(client, tableName, deletes(keys.filter(isConnectionItem)));
    },
  };
};

export type ConnectionsStore = ReturnType<typeof buildConnectionsStore>;
