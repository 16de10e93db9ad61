import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type DynamoKey, decodeCursor, encodeCursor, isConditionFailure } from '@kupala/trade-model';
import type { CredentialsStore, SealedCredential } from '../domain/credentials';

/**
 * The Credentials table: partition key the owner's `sub`, sort key the provider. An item carries the ciphertext
 * (binary), the masks and the time of the last PUT; a list reads only the masks.
 */
export const buildCredentialsStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
): CredentialsStore => ({
  async put(userId, credential) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: userId,
          sk: credential.provider,
          ciphertext: credential.ciphertext,
          masked: credential.masked,
          updatedAt: credential.updatedAt,
        },
      }),
    );
  },

  async get(userId, provider) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: userId, sk: provider }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      provider: Item.sk as string,
      ciphertext: Item.ciphertext as Uint8Array,
      masked: Item.masked as Record<string, string>,
      updatedAt: Item.updatedAt as string,
    } satisfies SealedCredential;
  },

  async list(userId, page) {
    const partition = { pk: userId };
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': userId },
        // never the ciphertext: a list shows masks only
        ProjectionExpression: 'sk, masked, updatedAt',
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { equals: partition, sortKey: { name: 'sk' } }),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => ({
        provider: item.sk as string,
        masked: item.masked as Record<string, string>,
        updatedAt: item.updatedAt as string,
      })),
      nextCursor: encodeCursor(result.LastEvaluatedKey as DynamoKey | undefined),
    };
  },

  async delete(userId, provider) {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: userId, sk: provider },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
});
