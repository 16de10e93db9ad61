import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Dataset,
  type DatasetColumn,
  DatasetSchema,
  type DynamoKey,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  itemReader,
  type Page,
  type PageRequest,
} from '@kupala/trade-model';

export type { Page, PageRequest } from '@kupala/trade-model';

// Every key starts with the owner's sub: another user's ids simply address nothing.
const userKey = (sub: string) => `USER#${sub}`;
const DATASET_PREFIX = 'DATASET#';
const datasetSortKey = (datasetId: string) => `${DATASET_PREFIX}${datasetId}`;

const readDataset = itemReader<Dataset>(DatasetSchema);
// datasets stored before uploads existed carry no status: they were all accepted whole
const toDataset = (item: Record<string, unknown>): Dataset => readDataset({ status: 'READY', ...item });

/** DynamoDB access for dataset metadata (Analyses table); the files themselves live in S3. */
export const buildDatasetsStore = (client: DynamoDBDocumentClient, tableName: string) => ({
  async putDataset(sub: string, dataset: Dataset): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: userKey(sub), sk: datasetSortKey(dataset.datasetId), entity: 'DATASET', ...dataset },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async getDataset(sub: string, datasetId: string): Promise<Dataset | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: userKey(sub), sk: datasetSortKey(datasetId) } }),
    );
    return Item === undefined ? undefined : toDataset(Item);
  },

  /** The caller's datasets, oldest first (ids are ULIDs, which sort by creation time). */
  async listDatasets(sub: string, page: PageRequest): Promise<Page<Dataset>> {
    const pk = userKey(sub);
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': DATASET_PREFIX },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, {
          equals: { pk },
          sortKey: { name: 'sk', prefix: DATASET_PREFIX },
        }),
      }),
    );
    return {
      items: (result.Items ?? []).map(toDataset),
      nextCursor: encodeCursor(result.LastEvaluatedKey as DynamoKey | undefined),
    };
  },

  /**
   * Ends a PENDING dataset's upload: READY with the file's shape, or FAILED with the reason. False when the dataset
   * is gone or no longer PENDING (a redelivered event, or deleted meanwhile): nothing is changed then.
   */
  async finishUpload(
    sub: string,
    datasetId: string,
    outcome:
      | { status: 'READY'; columns: DatasetColumn[]; rows: number; sizeBytes: number }
      | { status: 'FAILED'; error: string; sizeBytes: number },
  ): Promise<boolean> {
    const values =
      outcome.status === 'READY'
        ? { ':columns': outcome.columns, ':rows': outcome.rows }
        : { ':error': outcome.error };
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: userKey(sub), sk: datasetSortKey(datasetId) },
          UpdateExpression:
            outcome.status === 'READY'
              ? 'SET #status = :status, sizeBytes = :size, #columns = :columns, #rows = :rows'
              : 'SET #status = :status, sizeBytes = :size, #error = :error',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(outcome.status === 'READY'
              ? { '#columns': 'columns', '#rows': 'rows' }
              : { '#error': 'error' }),
          },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':pending': 'PENDING',
            ':size': outcome.sizeBytes,
            ...values,
          },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  /** False when the caller has no such dataset. */
  async deleteDataset(sub: string, datasetId: string): Promise<boolean> {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: userKey(sub), sk: datasetSortKey(datasetId) },
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

export type DatasetsStore = ReturnType<typeof buildDatasetsStore>;
