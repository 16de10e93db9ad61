import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every adapter is built with. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local), so handlers never branch on where they run.
 */
export const createDocumentClient = (
  client: DynamoDBClient = new DynamoDBClient({}),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/** Every item a query matches, following DynamoDB's pages (for bounded partitions: a portfolio's trades…). */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

/** True for DynamoDB's "condition failed" outcomes (plain or inside a transaction). */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'ConditionalCheckFailedException' ||
    (error.name === 'TransactionCanceledException' && /ConditionalCheckFailed/.test(error.message)));

/** A strict zod object, whose keys are the fields a stored item carries. */
interface ObjectSchema {
  shape: Record<string, unknown>;
}

/**
 * Reads a stored item back as the schema's object: only the schema's fields (plus `extra`), so keys, entity
 * tags and other storage attributes never leak into a response. One list of fields: the schema's own.
 */
export const itemReader =
  <T>(schema: ObjectSchema, extra: readonly string[] = []) =>
  (item: Record<string, unknown>): T => {
    const fields = [...Object.keys(schema.shape), ...extra];
    return Object.fromEntries(
      fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
    ) as T;
  };
