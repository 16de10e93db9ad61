import {
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { type TransactItems, transactWrite } from '@kupala/trade-model';
import type { LotEngine, PositionState } from '../domain/engine';
import {
  legacyViewSortKey,
  POSITION_PREFIX,
  positionSortKey,
  viewChunkSortKey,
  viewMarkAttribute,
  viewSummaryAttribute,
} from './positions-keys';

type Item = Record<string, unknown>;

/** Where a migration run stopped (DynamoDB's LastEvaluatedKey of its scan): the next run starts there. */
export interface MigrationCursor {
  pk: string;
  sk: string;
}

export interface MigrationProgress {
  /** Positions whose packed view entry this run wrote or found already there. */
  positions: number;
  /** undefined: the table was scanned to its end. */
  nextCursor: MigrationCursor | undefined;
}

/** How often one position's rebuild is tried again after a commit moved its version on under it. */
const MAX_TRIES = 5;

/**
 * Rebuilds the packed `VIEWS#<chunk>` entries of positions last derived before the views were packed (they have
 * a `POS#` state but only a `VIEW#<instrumentKey>` item, or, older still, a mark on the state item) so GET
 * positions lists them again. For each position: its summary from its stored state, and the mark it had, are set
 * in its chunk only where no entry is there yet (a commit since wrote a newer one), in one transaction with a
 * check that the state is still the one read (else it is read again) and the removal of the old view item.
 * Idempotent (a position with an entry is left as it is) and resumable (each page returns where it stopped).
 */
export const buildViewsMigration = (
  client: DynamoDBDocumentClient,
  tableName: string,
  engine: Pick<LotEngine, 'positionSummary'>,
) => {
  const markOf = async (position: Item): Promise<string | undefined> => {
    const { Item: legacy } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: position.pk, sk: legacyViewSortKey(String(position.instrumentKey)) },
        ProjectionExpression: 'mark',
        ConsistentRead: true,
      }),
    );
    if (typeof legacy?.mark === 'string') return legacy.mark;
    // before the VIEW# items, the mark was a map on the state item itself
    return position.mark === undefined ? undefined : JSON.stringify(position.mark);
  };

  const rebuild = async (scanned: Item): Promise<void> => {
    let position: Item | undefined = scanned;
    for (let attempt = 1; position !== undefined; attempt += 1) {
      if (attempt > MAX_TRIES) throw new Error(`The view of ${String(scanned.sk)} kept changing`);
      const instrumentKey: string = String(position.instrumentKey);
      const summary = engine.positionSummary(JSON.parse(String(position.state)) as PositionState);
      const mark = await markOf(position);
      const items: TransactItems = [
        {
          ConditionCheck: {
            TableName: tableName,
            Key: { pk: position.pk, sk: position.sk },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': position.version },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: { pk: position.pk, sk: viewChunkSortKey(instrumentKey) },
            UpdateExpression: `SET entity = :entity, #s = if_not_exists(#s, :summary)${
              mark === undefined ? '' : ', #m = if_not_exists(#m, :mark)'
            }`,
            ExpressionAttributeNames: {
              '#s': viewSummaryAttribute(instrumentKey),
              ...(mark === undefined ? {} : { '#m': viewMarkAttribute(instrumentKey) }),
            },
            ExpressionAttributeValues: {
              ':entity': 'POSITION_VIEWS',
              ':summary': JSON.stringify(summary),
              ...(mark === undefined ? {} : { ':mark': mark }),
            },
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: { pk: position.pk, sk: legacyViewSortKey(instrumentKey) },
          },
        },
      ];
      const refused = await transactWrite(client, items);
      if (refused === undefined) return;
      if (!refused.includes('ConditionalCheckFailed'))
        throw new Error(`The view of ${instrumentKey} was refused: ${refused.join(', ')}`);
      // a commit moved the state on (and wrote its view) or the portfolio was dropped: read it again
      const reread: GetCommandOutput = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: position.pk, sk: positionSortKey(instrumentKey) },
          ConsistentRead: true,
        }),
      );
      position = reread.Item;
    }
  };

  return {
    /** One page of the table's scan: every position in it gets its packed view entry. */
    async migratePage(cursor: MigrationCursor | undefined, pageSize = 200): Promise<MigrationProgress> {
      const page: ScanCommandOutput = await client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(sk, :position)',
          ExpressionAttributeValues: { ':position': POSITION_PREFIX },
          Limit: pageSize,
          ConsistentRead: true,
          ...(cursor === undefined ? {} : { ExclusiveStartKey: cursor }),
        }),
      );
      const positions = page.Items ?? [];
      for (const position of positions) await rebuild(position);
      const next = page.LastEvaluatedKey;
      return {
        positions: positions.length,
        nextCursor: next === undefined ? undefined : { pk: String(next.pk), sk: String(next.sk) },
      };
    },
  };
};

export type ViewsMigration = ReturnType<typeof buildViewsMigration>;
