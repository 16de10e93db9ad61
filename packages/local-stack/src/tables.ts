import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type Projection,
  type ProvisionedThroughput,
  ResourceInUseException,
  type StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, localAwsCredentials } from './dynamodb-local';
import { isRecord } from './is-record';

/**
 * Converts CloudFormation `AWS::DynamoDB::Table` resources into DynamoDB CreateTable inputs, so the local
 * tables come from the services' own templates (one definition). Properties DynamoDB Local ignores
 * (PITR, SSE, tags, TTL, deletion protection, …) are dropped.
 */

export class TableDefinitionError extends Error {
  override readonly name = 'TableDefinitionError';
  constructor(logicalId: string, problem: string) {
    super(`DynamoDB table resource ${logicalId}: ${problem}`);
  }
}

type Properties = Record<string, unknown>;

const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);

const requireString = (logicalId: string, where: string, value: unknown): string => {
  if (typeof value !== 'string' || value === '') {
    throw new TableDefinitionError(
      logicalId,
      `${where} must be a plain string after variable resolution, got ${describe(value)}`,
    );
  }
  return value;
};

const requireArray = (logicalId: string, where: string, value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw new TableDefinitionError(logicalId, `${where} must be a list`);
  return value;
};

const keySchema = (logicalId: string, where: string, value: unknown): KeySchemaElement[] =>
  requireArray(logicalId, where, value).map((element, index) => {
    if (!isRecord(element)) throw new TableDefinitionError(logicalId, `${where}[${index}] must be a map`);
    const keyType = requireString(logicalId, `${where}[${index}].KeyType`, element.KeyType);
    if (keyType !== 'HASH' && keyType !== 'RANGE') {
      throw new TableDefinitionError(logicalId, `${where}[${index}].KeyType must be HASH or RANGE`);
    }
    return {
      AttributeName: requireString(logicalId, `${where}[${index}].AttributeName`, element.AttributeName),
      KeyType: keyType,
    };
  });

const attributeDefinitions = (logicalId: string, value: unknown): AttributeDefinition[] =>
  requireArray(logicalId, 'AttributeDefinitions', value).map((element, index) => {
    if (!isRecord(element))
      throw new TableDefinitionError(logicalId, `AttributeDefinitions[${index}] must be a map`);
    const type = requireString(
      logicalId,
      `AttributeDefinitions[${index}].AttributeType`,
      element.AttributeType,
    );
    if (type !== 'S' && type !== 'N' && type !== 'B') {
      throw new TableDefinitionError(
        logicalId,
        `AttributeDefinitions[${index}].AttributeType must be S, N or B`,
      );
    }
    return {
      AttributeName: requireString(
        logicalId,
        `AttributeDefinitions[${index}].AttributeName`,
        element.AttributeName,
      ),
      AttributeType: type,
    };
  });

const projection = (logicalId: string, where: string, value: unknown): Projection => {
  if (!isRecord(value)) return { ProjectionType: 'ALL' };
  const type = value.ProjectionType ?? 'ALL';
  if (type !== 'ALL' && type !== 'KEYS_ONLY' && type !== 'INCLUDE') {
    throw new TableDefinitionError(logicalId, `${where}.ProjectionType must be ALL, KEYS_ONLY or INCLUDE`);
  }
  const nonKey = value.NonKeyAttributes;
  return {
    ProjectionType: type,
    ...(Array.isArray(nonKey)
      ? {
          NonKeyAttributes: nonKey.map((name, index) =>
            requireString(logicalId, `${where}.NonKeyAttributes[${index}]`, name),
          ),
        }
      : {}),
  };
};

const throughput = (value: unknown): ProvisionedThroughput | undefined => {
  if (!isRecord(value)) return undefined;
  const read = Number(value.ReadCapacityUnits);
  const write = Number(value.WriteCapacityUnits);
  return Number.isFinite(read) && Number.isFinite(write)
    ? { ReadCapacityUnits: read, WriteCapacityUnits: write }
    : undefined;
};

const globalIndexes = (logicalId: string, value: unknown, provisioned: boolean): GlobalSecondaryIndex[] =>
  requireArray(logicalId, 'GlobalSecondaryIndexes', value).map((element, index) => {
    const where = `GlobalSecondaryIndexes[${index}]`;
    if (!isRecord(element)) throw new TableDefinitionError(logicalId, `${where} must be a map`);
    const indexThroughput = throughput(element.ProvisionedThroughput);
    return {
      IndexName: requireString(logicalId, `${where}.IndexName`, element.IndexName),
      KeySchema: keySchema(logicalId, `${where}.KeySchema`, element.KeySchema),
      Projection: projection(logicalId, `${where}.Projection`, element.Projection),
      ...(provisioned
        ? { ProvisionedThroughput: indexThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }
        : {}),
    };
  });

const localIndexes = (logicalId: string, value: unknown): LocalSecondaryIndex[] =>
  requireArray(logicalId, 'LocalSecondaryIndexes', value).map((element, index) => {
    const where = `LocalSecondaryIndexes[${index}]`;
    if (!isRecord(element)) throw new TableDefinitionError(logicalId, `${where} must be a map`);
    return {
      IndexName: requireString(logicalId, `${where}.IndexName`, element.IndexName),
      KeySchema: keySchema(logicalId, `${where}.KeySchema`, element.KeySchema),
      Projection: projection(logicalId, `${where}.Projection`, element.Projection),
    };
  });

const streamSpecification = (logicalId: string, value: unknown): StreamSpecification | undefined => {
  if (!isRecord(value)) return undefined;
  const viewType = value.StreamViewType;
  if (
    viewType !== 'NEW_IMAGE' &&
    viewType !== 'OLD_IMAGE' &&
    viewType !== 'NEW_AND_OLD_IMAGES' &&
    viewType !== 'KEYS_ONLY'
  ) {
    throw new TableDefinitionError(
      logicalId,
      `StreamSpecification.StreamViewType is not valid: ${describe(viewType)}`,
    );
  }
  return { StreamEnabled: true, StreamViewType: viewType };
};

/** CreateTable input for one `AWS::DynamoDB::Table` resource's Properties. */
export const tableInputFromProperties = (
  logicalId: string,
  properties: Properties,
): CreateTableCommandInput => {
  const billingMode = properties.BillingMode ?? 'PROVISIONED';
  if (billingMode !== 'PAY_PER_REQUEST' && billingMode !== 'PROVISIONED') {
    throw new TableDefinitionError(logicalId, `BillingMode must be PAY_PER_REQUEST or PROVISIONED`);
  }
  const provisioned = billingMode === 'PROVISIONED';
  const stream = streamSpecification(logicalId, properties.StreamSpecification);
  return {
    TableName: requireString(logicalId, 'TableName', properties.TableName),
    KeySchema: keySchema(logicalId, 'KeySchema', properties.KeySchema),
    AttributeDefinitions: attributeDefinitions(logicalId, properties.AttributeDefinitions),
    BillingMode: billingMode,
    ...(provisioned
      ? {
          ProvisionedThroughput: throughput(properties.ProvisionedThroughput) ?? {
            ReadCapacityUnits: 5,
            WriteCapacityUnits: 5,
          },
        }
      : {}),
    ...(properties.GlobalSecondaryIndexes === undefined
      ? {}
      : { GlobalSecondaryIndexes: globalIndexes(logicalId, properties.GlobalSecondaryIndexes, provisioned) }),
    ...(properties.LocalSecondaryIndexes === undefined
      ? {}
      : { LocalSecondaryIndexes: localIndexes(logicalId, properties.LocalSecondaryIndexes) }),
    ...(stream === undefined ? {} : { StreamSpecification: stream }),
  };
};

/** CreateTable inputs for every `AWS::DynamoDB::Table` in a CloudFormation Resources map. */
export const tableInputsFromResources = (resources: Record<string, unknown>): CreateTableCommandInput[] =>
  Object.entries(resources).flatMap(([logicalId, resource]) => {
    if (!isRecord(resource) || resource.Type !== 'AWS::DynamoDB::Table') return [];
    if (!isRecord(resource.Properties)) throw new TableDefinitionError(logicalId, 'has no Properties');
    return [tableInputFromProperties(logicalId, resource.Properties)];
  });

export const localDynamoDbClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localAwsCredentials, maxAttempts: 3 });

/** Creates the tables; one that already exists is left as it is. Returns the names created now. */
export const createTables = async (
  endpoint: string,
  inputs: readonly CreateTableCommandInput[],
): Promise<string[]> => {
  const client = localDynamoDbClient(endpoint);
  try {
    const created = await Promise.all(
      inputs.map(async (input) => {
        try {
          await client.send(new CreateTableCommand(input));
          return [input.TableName ?? ''];
        } catch (error: unknown) {
          if (error instanceof ResourceInUseException) return [];
          throw new Error(`Creating table ${input.TableName}: ${(error as Error).message}`, { cause: error });
        }
      }),
    );
    return created.flat();
  } finally {
    client.destroy();
  }
};
