import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ImportError,
  ImportSchema,
  isConditionFailure,
  itemReader,
  type SavedMapping,
  SavedMappingSchema,
  type SkippedByReason,
} from '@kupala/trade-model';
import type { ImportRecord } from '../domain/imports/import-resource';
import { portfolioTradesKey } from './trades-store';

export type { ImportRecord } from '../domain/imports/import-resource';

/** The end of a run: FAILED books nothing; SUCCEEDED with the final counts. */
export interface ImportOutcome {
  status: 'SUCCEEDED' | 'FAILED';
  rows: number;
  imported: number;
  duplicates: number;
  skipped: number;
  skippedByReason: SkippedByReason;
  errors: ImportError[];
  /** Dry runs only: the trades that would be booked. */
  wouldImport?: number;
}

const importSortKey = (importId: string) => `IMPORT#${importId}`;

// the resource's fields plus what only processing needs
const toRecord = itemReader<ImportRecord>(ImportSchema, ['mapping', 'uploadExpiresAt']);
const toSavedMapping = itemReader<SavedMapping>(SavedMappingSchema);

/**
 * DynamoDB access for imports: `IMPORT#<importId>` in the portfolio's partition of the Trades table, so an
 * import of another user or portfolio addresses nothing. Status moves PENDING → RUNNING → SUCCEEDED|FAILED;
 * a finished import is never claimed again.
 */
export const buildImportsStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const key = (sub: string, portfolioId: string, importId: string) => ({
    pk: portfolioTradesKey(sub, portfolioId),
    sk: importSortKey(importId),
  });

  const mappingKey = (sub: string, portfolioId: string, name: string) => ({
    pk: portfolioTradesKey(sub, portfolioId),
    sk: `MAPPING#${name}`,
  });

  return {
    /** Saves a generic-csv mapping on the portfolio (replacing one of the same name). */
    async saveMapping(sub: string, portfolioId: string, saved: SavedMapping): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...mappingKey(sub, portfolioId, saved.name), entity: 'IMPORT_MAPPING', ...saved },
        }),
      );
    },

    async getMapping(sub: string, portfolioId: string, name: string): Promise<SavedMapping | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: mappingKey(sub, portfolioId, name) }),
      );
      return Item === undefined ? undefined : toSavedMapping(Item);
    },

    /** Every saved mapping of the portfolio (a handful: one page). */
    async listMappings(sub: string, portfolioId: string): Promise<SavedMapping[]> {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': portfolioTradesKey(sub, portfolioId), ':prefix': 'MAPPING#' },
        }),
      );
      return (Items ?? []).map(toSavedMapping);
    },

    async createImport(sub: string, record: ImportRecord): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key(sub, record.portfolioId, record.importId), entity: 'IMPORT', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getImport(sub: string, portfolioId: string, importId: string): Promise<ImportRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: key(sub, portfolioId, importId), ConsistentRead: true }),
      );
      return Item === undefined ? undefined : toRecord(Item);
    },

    /** Marks the import RUNNING; undefined when it does not exist or has already finished (a redelivery). */
    async claimImport(
      sub: string,
      portfolioId: string,
      importId: string,
      now: string,
    ): Promise<ImportRecord | undefined> {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(sub, portfolioId, importId),
            UpdateExpression: 'SET #status = :running, updatedAt = :now REMOVE uploadUrl, uploadExpiresAt',
            // RUNNING too: a run that crashed is taken up again; fingerprints keep it from booking twice
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:pending, :running)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':running': 'RUNNING', ':pending': 'PENDING', ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes === undefined ? undefined : toRecord(Attributes);
      } catch (error: unknown) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async recordProgress(
      sub: string,
      portfolioId: string,
      importId: string,
      rowsRead: number,
      now: string,
    ): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(sub, portfolioId, importId),
          UpdateExpression: 'SET progress = :progress, updatedAt = :now',
          ExpressionAttributeValues: { ':progress': { rowsRead }, ':now': now },
        }),
      );
    },

    /**
     * Ends an import that Lambda gave up on (its retries all failed) as FAILED; an import that did finish is
     * left as it is. Chunks booked before the failure stay booked: importing the file again books the rest.
     */
    async abandonImport(sub: string, portfolioId: string, importId: string, now: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(sub, portfolioId, importId),
            UpdateExpression: 'SET #status = :failed, #errors = :errors, updatedAt = :now',
            ConditionExpression: '#status IN (:pending, :running)',
            ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors' },
            ExpressionAttributeValues: {
              ':failed': 'FAILED',
              ':pending': 'PENDING',
              ':running': 'RUNNING',
              ':now': now,
              ':errors': [
                {
                  row: 0,
                  field: 'file',
                  message:
                    'The import could not be completed and was stopped. Import the file again: trades it already booked are counted as duplicates.',
                },
              ],
            },
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async finishImport(
      sub: string,
      portfolioId: string,
      importId: string,
      outcome: ImportOutcome,
      now: string,
    ): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(sub, portfolioId, importId),
          UpdateExpression:
            'SET #status = :status, #rows = :rows, imported = :imported, duplicates = :duplicates, ' +
            'skipped = :skipped, skippedByReason = :skippedByReason, #errors = :errors, progress = :progress, updatedAt = :now' +
            (outcome.wouldImport === undefined ? '' : ', wouldImport = :wouldImport'),
          ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows', '#errors': 'errors' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':rows': outcome.rows,
            ':imported': outcome.imported,
            ':duplicates': outcome.duplicates,
            ':skipped': outcome.skipped,
            ':skippedByReason': outcome.skippedByReason,
            ':errors': outcome.errors,
            ':progress': { rowsRead: outcome.rows + outcome.skipped },
            ':now': now,
            ...(outcome.wouldImport === undefined ? {} : { ':wouldImport': outcome.wouldImport }),
          },
        }),
      );
    },
  };
};

export type ImportsStore = ReturnType<typeof buildImportsStore>;
