import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, decodeCursor, encodeCursor, type Page, type PageRequest } from '@kupala/trade-model';
import type { EodSnapshot } from '../domain/eod';

/**
 * Key layout of the EODPositions table (one partition per portfolio, owner first):
 *
 * | pk | sk | what |
 * |---|---|---|
 * | `USER#<sub>#PORTFOLIO#<pid>` | `DAY#<YYYY-MM-DD>` | the snapshot of that day's close (rebuilt by overwriting) |
 * | same | `TARGETS` | the portfolio's target weights |
 */
const partition = (sub: string, portfolioId: string) => `USER#${sub}#PORTFOLIO#${portfolioId}`;
const DAY_PREFIX = 'DAY#';
const daySortKey = (date: string) => `${DAY_PREFIX}${date}`;
const TARGETS_SORT_KEY = 'TARGETS';

type Item = Record<string, unknown>;

const snapshotOf = (item: Item): EodSnapshot => ({
  date: String(item.date),
  netLiquidation: (item.netLiquidation as string | null | undefined) ?? null,
  netFlows: String(item.netFlows),
  dailyReturn: (item.dailyReturn as string | null | undefined) ?? null,
  positions: JSON.parse(String(item.positions ?? '[]')) as EodSnapshot['positions'],
  cash: JSON.parse(String(item.cash ?? '[]')) as EodSnapshot['cash'],
  closedRealizedPnlBase: String(item.closedRealizedPnlBase ?? '0'),
  missing: (item.missing as string[] | undefined) ?? [],
});

/** The daily series of a snapshot (what history and performance read): no positions. */
export type EodDay = Pick<EodSnapshot, 'date' | 'netLiquidation' | 'netFlows' | 'dailyReturn' | 'missing'>;
const SERIES_PROJECTION = '#date, netLiquidation, netFlows, dailyReturn, #missing';
const dayOf = (item: Item): EodDay => {
  const { date, netLiquidation, netFlows, dailyReturn, missing } = snapshotOf(item);
  return { date, netLiquidation, netFlows, dailyReturn, missing };
};

export interface Targets {
  weights: Record<string, string>;
  updatedAt: string;
}

/** The EODPositions table: snapshots per day (idempotent puts: a rerun overwrites its days) and targets. */
export const buildEodStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const queryDays = async (
    sub: string,
    portfolioId: string,
    range: { from: string; to: string },
    options: { limit?: number; descending?: boolean; startKey?: Item; series?: boolean },
  ) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partition(sub, portfolioId),
          ':from': daySortKey(range.from),
          ':to': daySortKey(range.to),
        },
        ...(options.series
          ? {
              ProjectionExpression: SERIES_PROJECTION,
              ExpressionAttributeNames: { '#date': 'date', '#missing': 'missing' },
            }
          : {}),
        ScanIndexForward: !(options.descending ?? false),
        ...(options.limit === undefined ? {} : { Limit: options.limit }),
        ExclusiveStartKey: options.startKey,
      }),
    );

  return {
    /** Writes (overwrites) one item per snapshot day: BatchWrite with capped, jittered retries. */
    async putSnapshots(sub: string, portfolioId: string, snapshots: readonly EodSnapshot[]): Promise<void> {
      const pk = partition(sub, portfolioId);
      await batchWriteAll(
        client,
        tableName,
        snapshots.map((snapshot) => ({
          PutRequest: {
            Item: {
              pk,
              sk: daySortKey(snapshot.date),
              entity: 'EOD_DAY',
              date: snapshot.date,
              netLiquidation: snapshot.netLiquidation,
              netFlows: snapshot.netFlows,
              dailyReturn: snapshot.dailyReturn,
              positions: JSON.stringify(snapshot.positions),
              cash: JSON.stringify(snapshot.cash),
              closedRealizedPnlBase: snapshot.closedRealizedPnlBase,
              missing: snapshot.missing,
            },
          },
        })),
      );
    },

    /** Days within [from, to] in date order, a page at a time (series fields only). */
    async listDays(
      sub: string,
      portfolioId: string,
      range: { from: string; to: string },
      page: PageRequest,
    ): Promise<Page<EodDay>> {
      const pk = partition(sub, portfolioId);
      const result = await queryDays(sub, portfolioId, range, {
        limit: page.limit,
        startKey: decodeCursor(page.cursor, { pk }),
        series: true,
      });
      return {
        items: (result.Items ?? []).map(dayOf),
        nextCursor: encodeCursor(result.LastEvaluatedKey as Record<string, string> | undefined),
      };
    },

    /** Every day within [from, to] in date order (series fields only). */
    async allDays(sub: string, portfolioId: string, range: { from: string; to: string }): Promise<EodDay[]> {
      const days: EodDay[] = [];
      let startKey: Item | undefined;
      do {
        const result = await queryDays(sub, portfolioId, range, { startKey, series: true });
        days.push(...(result.Items ?? []).map(dayOf));
        startKey = result.LastEvaluatedKey;
      } while (startKey !== undefined);
      return days;
    },

    /** The last snapshot day on or before `date` (series fields), if any. */
    async lastDayOnOrBefore(sub: string, portfolioId: string, date: string): Promise<EodDay | undefined> {
      const result = await queryDays(
        sub,
        portfolioId,
        { from: '0000-00-00', to: date },
        { limit: 1, descending: true, series: true },
      );
      const [item] = result.Items ?? [];
      return item === undefined ? undefined : dayOf(item);
    },

    /** The full snapshot of one day (positions and cash included). */
    async getSnapshot(sub: string, portfolioId: string, date: string): Promise<EodSnapshot | undefined> {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: partition(sub, portfolioId), sk: daySortKey(date) },
        }),
      );
      return Item === undefined ? undefined : snapshotOf(Item);
    },

    async putTargets(sub: string, portfolioId: string, targets: Targets): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: partition(sub, portfolioId), sk: TARGETS_SORT_KEY, entity: 'TARGETS', ...targets },
        }),
      );
    },

    async getTargets(sub: string, portfolioId: string): Promise<Targets | undefined> {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: partition(sub, portfolioId), sk: TARGETS_SORT_KEY },
        }),
      );
      return Item === undefined
        ? undefined
        : { weights: Item.weights as Record<string, string>, updatedAt: String(Item.updatedAt) };
    },
  };
};

export type EodStore = ReturnType<typeof buildEodStore>;
