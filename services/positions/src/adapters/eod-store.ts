import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  batchWriteAll,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  mapWithConcurrency,
  type Page,
  type PageRequest,
  queryAll,
  type RetryPolicy,
  retryWithBackoff,
  type WriteRequest,
} from '@kupala/trade-model';
import type { EodSnapshot } from '../domain/eod';
import type { EodWrite } from '../domain/eod-run';

/**
 * Key layout of the EODPositions table (one partition per portfolio, owner first):
 *
 * | pk | sk | what |
 * |---|---|---|
 * | `USER#<sub>#PORTFOLIO#<pid>` | `DAY#<YYYY-MM-DD>` | the snapshot of that day's close (rebuilt by overwriting) |
 * | same | `SERIES#<YYYY>` | that year's daily series, packed (what performance reads in one query) |
 * | same | `TARGETS` | the portfolio's target weights |
 * | `EOD#PORTFOLIOS#<0-15>` | `<sub>#<pid>` | a portfolio with trades: what the nightly run builds (no user reads it) |
 *
 * The `SERIES#` items are a read model of the `DAY#` items' series fields: every snapshot write puts its days,
 * then merges them into their years' items (read, merge, put conditioned on what was read; a lost race
 * retries with capped backoff). Ten years are ten items of ~18 KB instead of 2,600 items, which is what makes
 * GET …/performance over a long range one short query. A write that fails between the two steps leaves the
 * series behind its days until the job's retry (the EOD job and the re-snapshot consumer are retried as a whole
 * and are idempotent), never a series day without its snapshot.
 */
const partition = (sub: string, portfolioId: string) => `USER#${sub}#PORTFOLIO#${portfolioId}`;
const DAY_PREFIX = 'DAY#';
const daySortKey = (date: string) => `${DAY_PREFIX}${date}`;
const TARGETS_SORT_KEY = 'TARGETS';
const SERIES_PREFIX = 'SERIES#';
const seriesSortKey = (year: string) => `${SERIES_PREFIX}${year}`;

type Item = Record<string, unknown>;

/**
 * The nightly run's list of portfolios, spread over a fixed number of partitions (no hot key as it grows):
 * registered by the Trades stream consumer when it sees a portfolio's trade, read by a few queries whose cost
 * grows with the number of portfolios only, where a Scan of the Trades table would read every user's trades.
 */
const REGISTRY_SHARDS = 16;
const registryPartition = (shard: number) => `EOD#PORTFOLIOS#${shard}`;
const shardOf = (key: string): number => {
  let hash = 0;
  for (let index = 0; index < key.length; index += 1) hash = (hash * 31 + key.charCodeAt(index)) >>> 0;
  return hash % REGISTRY_SHARDS;
};

/** Day-item BatchWrite calls and series puts of one batch in flight at once. */
const DAY_WRITES_IN_FLIGHT = 4;
const SERIES_PUTS_IN_FLIGHT = 8;

const dayItemOf = (pk: string, snapshot: EodSnapshot): Item => ({
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
});

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

/** One day in a packed series item: [date, netLiquidation, netFlows, dailyReturn, missing]. */
type PackedDay = [string, string | null, string, string | null, string[]];
const pack = (day: EodDay): PackedDay => [
  day.date,
  day.netLiquidation,
  day.netFlows,
  day.dailyReturn,
  day.missing,
];
const unpack = ([date, netLiquidation, netFlows, dailyReturn, missing]: PackedDay): EodDay => ({
  date,
  netLiquidation,
  netFlows,
  dailyReturn,
  missing,
});
const packedDays = (item: Item | undefined): PackedDay[] =>
  item === undefined ? [] : (JSON.parse(String(item.days)) as PackedDay[]);

/** A range's days and the last day before it (whose close the range's first return starts from). */
export interface EodSeries {
  before: EodDay | undefined;
  days: EodDay[];
}

export interface Targets {
  weights: Record<string, string>;
  updatedAt: string;
}

/** The EODPositions table: snapshots per day (idempotent puts: a rerun overwrites its days) and targets. */
export const buildEodStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  seriesRetry?: RetryPolicy,
) => {
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

  /**
   * Merges days into their year's series item, optimistically: the put is conditioned on the series read (its
   * whole packed text, so the item is a pure function of its days: a rerun or an undo restores it to the byte),
   * and a lost race retries with capped backoff. An unchanged series is not written at all. `read` is the item
   * as a batch read found it (maybe stale: then the put's condition fails and the next attempt reads it again,
   * consistently).
   */
  const mergeYear = (
    pk: string,
    year: string,
    days: readonly EodDay[],
    read?: { item: Item | undefined },
  ) => {
    let known = read;
    return retryWithBackoff(
      `EOD series ${year}`,
      async () => {
        const Item =
          known?.item ??
          (known === undefined
            ? (
                await client.send(
                  new GetCommand({
                    TableName: tableName,
                    Key: { pk, sk: seriesSortKey(year) },
                    ConsistentRead: true,
                  }),
                )
              ).Item
            : undefined);
        known = undefined;
        const merged = new Map(packedDays(Item).map((day) => [day[0], day]));
        for (const day of days) merged.set(day.date, pack(day));
        const ordered = [...merged.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const text = JSON.stringify(ordered);
        if (Item !== undefined && Item.days === text) return { done: true as const, value: undefined };
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: { pk, sk: seriesSortKey(year), entity: 'EOD_SERIES', days: text },
              ...(Item === undefined
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {
                    ConditionExpression: '#days = :read',
                    ExpressionAttributeNames: { '#days': 'days' },
                    ExpressionAttributeValues: { ':read': Item.days },
                  }),
            }),
          );
          return { done: true as const, value: undefined };
        } catch (error: unknown) {
          if (isConditionFailure(error)) return { done: false as const, cause: error };
          throw error;
        }
      },
      seriesRetry,
    );
  };

  /**
   * Writes (overwrites) one item per snapshot day of every portfolio (BatchWrite, 25 items a call, with capped,
   * jittered retries), then merges the days into their years' series items: the series items of the whole
   * batch read in BatchGetItem calls, then one conditional put per changed (portfolio, year).
   */
  const putManySnapshots = async (writes: readonly EodWrite[]): Promise<void> => {
    const series = new Map<string, { pk: string; year: string; days: EodDay[] }>();
    const dayItems: WriteRequest[] = [];
    for (const { sub, portfolioId, snapshots } of writes) {
      const pk = partition(sub, portfolioId);
      for (const snapshot of snapshots) {
        dayItems.push({ PutRequest: { Item: dayItemOf(pk, snapshot) } });
        const year = snapshot.date.slice(0, 4);
        const { date, netLiquidation, netFlows, dailyReturn, missing } = snapshot;
        const key = `${pk}|${seriesSortKey(year)}`;
        const found = series.get(key) ?? { pk, year, days: [] };
        found.days.push({ date, netLiquidation, netFlows, dailyReturn, missing });
        series.set(key, found);
      }
    }
    await batchWriteAll(client, tableName, dayItems, undefined, DAY_WRITES_IN_FLIGHT);
    const read = new Map(
      (
        await batchGetAll(
          client,
          tableName,
          [...series.values()].map(({ pk, year }) => ({ pk, sk: seriesSortKey(year) })),
        )
      ).map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]),
    );
    await mapWithConcurrency([...series], SERIES_PUTS_IN_FLIGHT, ([key, { pk, year, days }]) =>
      mergeYear(pk, year, days, { item: read.get(key) }),
    );
  };

  return {
    putManySnapshots,

    /** Puts portfolios on the nightly run's list (idempotent: a portfolio is one item however often it is put). */
    async registerPortfolios(portfolios: readonly { sub: string; portfolioId: string }[]): Promise<void> {
      const items = new Map(
        portfolios.map(({ sub, portfolioId }) => {
          const sk = `${sub}#${portfolioId}`;
          return [sk, { pk: registryPartition(shardOf(sk)), sk, entity: 'EOD_PORTFOLIO', sub, portfolioId }];
        }),
      );
      await batchWriteAll(
        client,
        tableName,
        [...items.values()].map((Item) => ({ PutRequest: { Item } })),
      );
    },

    /** Every registered portfolio, partition after partition. */
    async *registeredPortfolios(): AsyncGenerator<{ sub: string; portfolioId: string }> {
      for (let shard = 0; shard < REGISTRY_SHARDS; shard += 1) {
        const items = await queryAll(client, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': registryPartition(shard) },
          ProjectionExpression: '#sub, portfolioId',
          ExpressionAttributeNames: { '#sub': 'sub' },
        });
        for (const item of items) yield { sub: String(item.sub), portfolioId: String(item.portfolioId) };
      }
    },

    /** Writes (overwrites) one portfolio's snapshot days and merges them into its series (see putManySnapshots). */
    putSnapshots: (sub: string, portfolioId: string, snapshots: readonly EodSnapshot[]): Promise<void> =>
      putManySnapshots([{ sub, portfolioId, snapshots }]),

    /** The days of [from, to] and the last day before `from`, from the packed series items (one query). */
    async series(sub: string, portfolioId: string, range: { from: string; to: string }): Promise<EodSeries> {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': partition(sub, portfolioId),
          ':first': seriesSortKey('0000'),
          ':last': seriesSortKey(range.to.slice(0, 4)),
        },
      });
      let before: PackedDay | undefined;
      const days: EodDay[] = [];
      for (const item of items) {
        for (const day of packedDays(item)) {
          if (day[0] < range.from) before = day;
          else if (day[0] <= range.to) days.push(unpack(day));
        }
      }
      return { before: before === undefined ? undefined : unpack(before), days };
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
