import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  decodeCursor,
  encodeCursor,
  type Instrument,
  isConditionFailure,
  isTransientStorageError,
  type Page,
  type PageRequest,
  type PortfolioPositions,
  queryAll,
  type RetryStep,
  retryWithBackoff,
  type Trade,
  type TransactItems,
  transactWrite,
} from '@kupala/trade-model';
import type { ClosedLot, LotEngine, PositionState } from '../domain/engine';
import { valuePortfolio } from '../domain/valuation';
import { buildMarketDataReader } from './market-data-reader';
import { buildPortfoliosReader } from './portfolios-reader';
import {
  AFTER_ALL_ORDER_KEYS,
  appliedTradeSortKey,
  CASH_PREFIX,
  CLOSED_PREFIX,
  cashSortKey,
  checkpointPrefix,
  checkpointSortKey,
  closedLotSortKey,
  currencyHolderSortKey,
  currencyHoldersPartition,
  LEDGER_INDEX,
  ledgerKey,
  POSITION_PREFIX,
  portfolioPartition,
  positionSortKey,
  RATE_WAIT_MARK_PREFIX,
  rateWaitMarkSortKey,
  rateWaitPartition,
  symbolHolderSortKey,
  symbolHoldersPartition,
  VIEW_SUMMARY_PREFIX,
  VIEWS_PREFIX,
  viewChunkSortKey,
  viewMarkAttribute,
  viewSummaryAttribute,
} from './positions-keys';

type Item = Record<string, unknown>;

/** A price mark stored on a position by the MarketData consumer. */
export interface StoredMark {
  price: string;
  currency: string;
  /** Date of a close or ISO time of a quote. */
  asOf: string;
  source: string;
  previousClose?: string;
}

/**
 * Which derived items (closed lots, checkpoints) of a position are current. A derivation from order key K
 * of an existing position first registers a fresh generation (`pending`, moving the version on), collects
 * what no reader can see, writes its items under that generation, then commits the position with `gen` and
 * `closedFrom` = K in one conditional write: items before `closedFrom` stay valid (unless they belong to a
 * generation that never committed: `pending` or `abandoned`), items from `closedFrom` on are valid only in
 * `gen`. Readers filter by this, so a derivation that stops half-way leaves nothing visible.
 *
 * Fencing: a derivation writes its items only in transactions that check the position still names its
 * generation as `pending` (or, for a position that does not exist yet, that it still does not exist). A
 * derivation superseded by a concurrent one can therefore not write anything after the other registered its
 * own generation, and what it wrote before is collected by the other before `closedFrom` moves. A generation
 * replaced while pending is kept in `abandoned` until a commit that collected its items clears it, so a
 * crash between registering and collecting loses no record of it.
 */
export interface Generation {
  gen: string;
  closedFrom: string;
  pending?: { gen: string; from: string };
  /** Generations registered as pending, replaced before they committed, not yet collected. */
  abandoned?: { gen: string; from: string }[];
}

export interface StoredPosition extends Generation {
  instrumentKey: string;
  instrument: Instrument;
  state: PositionState;
  version: number;
  /** Active trades applied since the last checkpoint. */
  sinceCheckpoint: number;
  /** The portfolio's base currency the state was derived under (absent on items written before it was kept). */
  baseCurrency?: string;
}

/**
 * What valuing a position reads (GET positions, WebSocket snapshots): the engine's summary of the state
 * (no lots: a few hundred bytes whatever the history) and the price mark. Written in the same transaction
 * as the state, so the two never diverge; the mark is set on it by the MarketData consumer.
 */
export interface PositionView {
  instrumentKey: string;
  instrument: Instrument;
  summary: PositionState;
  mark?: StoredMark;
}

/** The applied version of one trade (what makes a redelivered or stale record a no-op). */
export interface AppliedTrade {
  tradeId: string;
  version: number;
  /** The trade as applied; absent once a REMOVE dropped it. */
  trade: Trade;
  /** Set while the trade is ACTIVE and has an instrument: where it sits in that position's ledger. */
  instrumentKey?: string;
  orderKey: string;
}

export interface CashBalance {
  currency: string;
  balance: string;
  income: string;
  version: number;
}

export interface CashChange {
  currency: string;
  balance: string;
  income: string;
  /** The version read (0 when the item did not exist). */
  expectedVersion: number;
}

/** A position's new state as one derivation computed it. */
export interface DerivedPosition {
  instrumentKey: string;
  instrument: Instrument;
  state: PositionState;
  /** `LotEngine.positionSummary(state)`: what the position's view item carries. */
  summary: PositionState;
  /** The portfolio's base currency the state is derived under. */
  baseCurrency: string;
  generation: Generation;
  sinceCheckpoint: number;
  /** undefined: the position does not exist yet. */
  expectedVersion: number | undefined;
}

/** The commit of derivations: the positions' new states plus the trades and cash they account for. */
export interface PositionCommit {
  sub: string;
  portfolioId: string;
  positions: DerivedPosition[];
  applied: AppliedTrade[];
  cash: CashChange[];
}

/** Transaction items a commit needs (DynamoDB allows 100 per transaction). */
export const commitSize = (commit: Omit<PositionCommit, 'sub' | 'portfolioId'>): number =>
  commit.positions.length * 3 +
  commit.applied.length +
  new Set([...commit.cash.map((c) => c.currency), ...commit.positions.map((p) => p.instrument.currency)])
    .size +
  commit.cash.length;

export const isValidDerived = (generation: Generation, orderKey: string, gen: string): boolean => {
  if (gen === generation.pending?.gen || generation.abandoned?.some((entry) => entry.gen === gen))
    return false;
  return orderKey < generation.closedFrom || gen === generation.gen;
};

/** The generation attributes of a position item. */
const generationOf = (item: Item): Generation => ({
  gen: String(item.gen),
  closedFrom: String(item.closedFrom),
  ...(item.pending === undefined ? {} : { pending: item.pending as Generation['pending'] & object }),
  ...(Array.isArray(item.abandoned) && item.abandoned.length > 0
    ? { abandoned: item.abandoned as NonNullable<Generation['abandoned']> }
    : {}),
});

/** Where a position's derived items that no reader can see may start (what a collection scans from). */
export const invisibleFrom = (generation: Generation): string =>
  [
    generation.closedFrom,
    generation.pending?.from,
    ...(generation.abandoned ?? []).map((entry) => entry.from),
  ]
    .filter((key): key is string => key !== undefined)
    .sort()[0] ?? '';

/** A derived item's key, as written (what a derivation that lost its race deletes again). */
export interface DerivedKey {
  pk: string;
  sk: string;
}

/** Parses `CLOSED#<orderKey>#<instrumentKey>#<gen>#<n>` / `CKPT#<ik>#<orderKey>#<gen>` item attributes. */
const derivedOf = (item: Item) => ({ orderKey: String(item.orderKey), gen: String(item.gen) });

const toStoredPosition = (item: Item): StoredPosition => ({
  instrumentKey: String(item.instrumentKey),
  instrument: JSON.parse(String(item.instrument)) as Instrument,
  state: JSON.parse(String(item.state)) as PositionState,
  version: Number(item.version),
  ...generationOf(item),
  sinceCheckpoint: Number(item.sinceCheckpoint ?? 0),
  ...(typeof item.baseCurrency === 'string' ? { baseCurrency: item.baseCurrency } : {}),
});

/** How many parsed summaries a warm container keeps (a summary is ~0.5 KB of JSON). */
export const SUMMARY_MEMO_LIMIT = 20_000;

/**
 * Parses a position's summary JSON, or answers the object parsed earlier from the very same text. A summary
 * changes only when a trade does (a price move changes the mark beside it), so a warm container reading the
 * same portfolio again parses only what changed; and the engine keeps its parsed figures on that object, so
 * valuing it again skips their parsing too. The memo is keyed by the whole text: a changed summary is a new
 * key. Its instrument is frozen: every caller shares the object, so none may change it. Cleared whole when full.
 */
export const summaryMemo = (limit = SUMMARY_MEMO_LIMIT) => {
  const parsed = new Map<string, PositionState>();
  return (text: string): PositionState => {
    const known = parsed.get(text);
    if (known !== undefined) return known;
    const summary = JSON.parse(text) as PositionState;
    Object.freeze(summary.instrument);
    if (parsed.size >= limit) parsed.clear();
    parsed.set(text, summary);
    return summary;
  };
};
const parseSummary = summaryMemo();

// One JSON string per attribute: the fewer attributes a 500-item query carries, the less the SDK parses.
/** The views packed in one chunk item: each `s:<instrumentKey>` attribute with its `m:<instrumentKey>` mark. */
const viewsOfChunk = (item: Item): PositionView[] => {
  const views: PositionView[] = [];
  for (const [attribute, value] of Object.entries(item)) {
    if (!attribute.startsWith(VIEW_SUMMARY_PREFIX)) continue;
    const summary = parseSummary(String(value));
    const mark = item[viewMarkAttribute(attribute.slice(VIEW_SUMMARY_PREFIX.length))];
    views.push({
      instrumentKey: summary.instrumentKey,
      instrument: summary.instrument,
      summary,
      ...(mark === undefined ? {} : { mark: JSON.parse(String(mark)) as StoredMark }),
    });
  }
  return views;
};

const toAppliedTrade = (item: Item): AppliedTrade => ({
  tradeId: String(item.tradeId),
  version: Number(item.version),
  trade: JSON.parse(String(item.trade)) as Trade,
  ...(typeof item.instrumentKey === 'string' ? { instrumentKey: item.instrumentKey } : {}),
  orderKey: String(item.orderKey),
});

const toCash = (item: Item): CashBalance => ({
  currency: String(item.currency),
  balance: String(item.balance),
  income: String(item.income ?? '0'),
  version: Number(item.version),
});

/** Derived items per fenced transaction: 99 puts beside the check, at most ~3 MB (DynamoDB allows 4 MB). */
const FENCED_PUTS = 99;
const FENCED_BYTES = 3_000_000;
const fencedParts = (puts: Item[]): Item[][] => {
  const parts: Item[][] = [];
  let part: Item[] = [];
  let bytes = 0;
  for (const put of puts) {
    const size = JSON.stringify(put).length;
    if (part.length > 0 && (part.length >= FENCED_PUTS || bytes + size > FENCED_BYTES)) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(put);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
};

const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/** A conditional write lost to a concurrent one: the caller re-reads and derives again. */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
  constructor(what: string, cause?: unknown) {
    super(`${what} changed concurrently`, { cause });
  }
}

/**
 * Read side of the Positions table, shared by the HTTP routes and the WebSocket snapshots: positions with
 * their marks, cash, open lots and closed lots. Nothing here writes.
 */
export const buildPositionsTableReader = (client: DynamoDBDocumentClient, tableName: string) => {
  const queryAll = async (input: {
    pk: string;
    /** Sort key range; without it, the whole partition. */
    from?: string;
    to?: string;
    index?: string;
    filter?: { expression: string; values: Item };
    consistent?: boolean;
    descending?: boolean;
    limit?: number;
    /** Attributes to read (all when absent). */
    attributes?: readonly string[];
  }): Promise<Item[]> => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    const sortKey = input.index === undefined ? 'sk' : 'ledgerKey';
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          ...(input.index === undefined ? {} : { IndexName: input.index }),
          KeyConditionExpression:
            input.from === undefined ? 'pk = :pk' : `pk = :pk AND ${sortKey} BETWEEN :from AND :to`,
          ...(input.filter === undefined ? {} : { FilterExpression: input.filter.expression }),
          ...(input.attributes === undefined
            ? {}
            : {
                ProjectionExpression: input.attributes.map((_, index) => `#a${index}`).join(', '),
                ExpressionAttributeNames: Object.fromEntries(
                  input.attributes.map((name, index) => [`#a${index}`, name]),
                ),
              }),
          ExpressionAttributeValues: {
            ':pk': input.pk,
            ...(input.from === undefined ? {} : { ':from': input.from, ':to': input.to }),
            ...(input.filter?.values ?? {}),
          },
          ConsistentRead: input.consistent ?? true,
          ScanIndexForward: !(input.descending ?? false),
          ...(input.limit === undefined ? {} : { Limit: input.limit }),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = input.limit === undefined ? page.LastEvaluatedKey : undefined;
    } while (startKey !== undefined);
    return items;
  };

  const listPositions = async (sub: string, portfolioId: string): Promise<StoredPosition[]> =>
    (
      await queryAll({
        pk: portfolioPartition(sub, portfolioId),
        from: POSITION_PREFIX,
        to: `${POSITION_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
        consistent: false,
      })
    ).map(toStoredPosition);

  /** The views of a portfolio's positions (small items: a valuation reads nothing else of the table). */
  /** Each position's generation (which derived items are current), without its state. */
  const listGenerations = async (
    sub: string,
    portfolioId: string,
  ): Promise<Map<string, Generation & { instrumentKey: string }>> =>
    new Map(
      (
        await queryAll({
          pk: portfolioPartition(sub, portfolioId),
          from: POSITION_PREFIX,
          to: `${POSITION_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
          consistent: false,
          attributes: ['instrumentKey', 'gen', 'closedFrom', 'pending', 'abandoned'],
        })
      ).map((item) => [
        String(item.instrumentKey),
        { instrumentKey: String(item.instrumentKey), ...generationOf(item) },
      ]),
    );

  /** The views of a portfolio's positions, in instrument-key order: at most VIEW_CHUNKS items are read. */
  const listPositionViews = async (sub: string, portfolioId: string): Promise<PositionView[]> =>
    (
      await queryAll({
        pk: portfolioPartition(sub, portfolioId),
        from: VIEWS_PREFIX,
        to: `${VIEWS_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
        consistent: false,
      })
    )
      .flatMap(viewsOfChunk)
      .sort((a, b) => (a.instrumentKey < b.instrumentKey ? -1 : a.instrumentKey > b.instrumentKey ? 1 : 0));

  const getPosition = async (
    sub: string,
    portfolioId: string,
    instrumentKey: string,
  ): Promise<StoredPosition | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: portfolioPartition(sub, portfolioId), sk: positionSortKey(instrumentKey) },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toStoredPosition(Item);
  };

  const listCash = async (sub: string, portfolioId: string): Promise<CashBalance[]> =>
    (
      await queryAll({
        pk: portfolioPartition(sub, portfolioId),
        from: CASH_PREFIX,
        to: `${CASH_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
        consistent: true,
      })
    ).map(toCash);

  /** The rates a portfolio's unapplied trades wait for (its FXWAIT marks). */
  const listRateWaits = async (sub: string, portfolioId: string): Promise<{ from: string; to: string }[]> =>
    (
      await queryAll({
        pk: portfolioPartition(sub, portfolioId),
        from: RATE_WAIT_MARK_PREFIX,
        to: `${RATE_WAIT_MARK_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
        consistent: false,
      })
    ).map((item) => ({ from: String(item.from), to: String(item.to) }));

  return {
    queryAll,
    listPositions,
    listRateWaits,
    listPositionViews,
    /** The instrument keys of a portfolio's positions. */
    listPositionKeys: async (sub: string, portfolioId: string): Promise<string[]> => [
      ...(await listGenerations(sub, portfolioId)).keys(),
    ],
    getPosition,
    listCash,

    /** Active trades of a position ordered after `afterOrderKey` (the ledger LSI, consistent). */
    async ledgerAfter(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      afterOrderKey: string,
    ): Promise<AppliedTrade[]> {
      const items = await queryAll({
        pk: portfolioPartition(sub, portfolioId),
        index: LEDGER_INDEX,
        from: `${ledgerKey(instrumentKey, afterOrderKey)}\u0000`,
        to: ledgerKey(instrumentKey, AFTER_ALL_ORDER_KEYS),
      });
      return items.map(toAppliedTrade);
    },

    /**
     * Closed lots closed within [from, to] in close order, only those of each position's current generation;
     * `cursor` continues after the last lot of the previous page.
     */
    async listClosedLots(
      sub: string,
      portfolioId: string,
      range: { from?: string; to?: string },
      page: PageRequest,
    ): Promise<Page<ClosedLot>> {
      const pk = portfolioPartition(sub, portfolioId);
      const generations = await listGenerations(sub, portfolioId);
      const start = decodeCursor(page.cursor, { pk });
      const items: ClosedLot[] = [];
      let startKey: Item | undefined = start;
      let last: Item | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': pk,
              ':from': `${CLOSED_PREFIX}${range.from ?? '0000-00-00'}`,
              ':to': `${CLOSED_PREFIX}${range.to ?? '9999-99-99'}#${AFTER_ALL_ORDER_KEYS}`,
            },
            ExclusiveStartKey: startKey,
            Limit: Math.max(page.limit * 2, 50),
          }),
        );
        for (const item of result.Items ?? []) {
          const position = generations.get(String(item.instrumentKey));
          const { orderKey, gen } = derivedOf(item);
          if (position === undefined || !isValidDerived(position, orderKey, gen)) continue;
          items.push(JSON.parse(String(item.lot)) as ClosedLot);
          last = item;
          if (items.length === page.limit) break;
        }
        startKey = items.length === page.limit ? undefined : result.LastEvaluatedKey;
        if (items.length === page.limit && last !== undefined) {
          return {
            items,
            nextCursor: encodeCursor({ pk, sk: String(last.sk) }),
          };
        }
      } while (startKey !== undefined);
      return { items, nextCursor: null };
    },
  };
};

export type PositionsTableReader = ReturnType<typeof buildPositionsTableReader>;

/**
 * Write side of the Positions table for the stream consumers: the applied-trade mirror, checkpoints,
 * generations of derived items, atomic commits of a derivation, marks and the holders indexes.
 */
export const buildPositionsStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const reader = buildPositionsTableReader(client, tableName);

  const batchWrite = async (requests: Item[]): Promise<void> => {
    for (const chunk of chunksOf(requests, 25)) {
      let pending: Item[] | undefined = chunk;
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 0) await backoff(attempt);
        if (attempt > 8) throw new Error(`${pending.length} writes still unprocessed after retries`);
        const result: BatchWriteCommandOutput = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[tableName] as Item[] | undefined;
      }
    }
  };

  /** Derived items (closed lots from `from` on, checkpoints) of one position, with their keys. */
  const derivedItems = async (sub: string, portfolioId: string, instrumentKey: string, from: string) => {
    const pk = portfolioPartition(sub, portfolioId);
    const [closed, checkpoints] = await Promise.all([
      reader.queryAll({
        pk,
        from: `${CLOSED_PREFIX}${from}`,
        to: `${CLOSED_PREFIX}${AFTER_ALL_ORDER_KEYS}`,
        filter: { expression: 'instrumentKey = :ik', values: { ':ik': instrumentKey } },
      }),
      reader.queryAll({
        pk,
        from: `${checkpointPrefix(instrumentKey)}${from}`,
        to: `${checkpointPrefix(instrumentKey)}${AFTER_ALL_ORDER_KEYS}`,
      }),
    ]);
    return [...closed, ...checkpoints];
  };

  return {
    ...reader,

    async getAppliedTrades(
      sub: string,
      portfolioId: string,
      tradeIds: string[],
    ): Promise<Map<string, AppliedTrade>> {
      const found = new Map<string, AppliedTrade>();
      const pk = portfolioPartition(sub, portfolioId);
      await Promise.all(
        tradeIds.map(async (tradeId) => {
          const { Item } = await client.send(
            new GetCommand({
              TableName: tableName,
              Key: { pk, sk: appliedTradeSortKey(tradeId) },
              ConsistentRead: true,
            }),
          );
          if (Item !== undefined) found.set(tradeId, toAppliedTrade(Item));
        }),
      );
      return found;
    },

    /** The version applied of each trade of a portfolio (its mirror items, read in pages of the partition). */
    async appliedVersions(sub: string, portfolioId: string): Promise<Map<string, number>> {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :trade)',
        ExpressionAttributeValues: {
          ':pk': portfolioPartition(sub, portfolioId),
          ':trade': appliedTradeSortKey(''),
        },
        ProjectionExpression: 'tradeId, version',
        ConsistentRead: true,
      });
      return new Map(items.map((item) => [String(item.tradeId), Number(item.version)]));
    },

    /** The latest valid checkpoint strictly before `beforeOrderKey`. */
    async checkpointBefore(
      sub: string,
      portfolioId: string,
      position: StoredPosition,
      beforeOrderKey: string,
    ): Promise<{ orderKey: string; state: PositionState } | undefined> {
      const prefix = checkpointPrefix(position.instrumentKey);
      let startKey: Item | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': portfolioPartition(sub, portfolioId),
              ':from': prefix,
              ':to': `${prefix}${beforeOrderKey}`,
            },
            ScanIndexForward: false,
            ConsistentRead: true,
            Limit: 10,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const { orderKey, gen } = derivedOf(item);
          if (orderKey < beforeOrderKey && isValidDerived(position, orderKey, gen)) {
            return { orderKey, state: JSON.parse(String(item.state)) as PositionState };
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return undefined;
    },

    /**
     * Deletes derived items no reader can see any more (superseded generations, a pending generation that
     * never committed). Safe at any time: it only removes invisible items.
     */
    async collectGarbage(sub: string, portfolioId: string, position: StoredPosition): Promise<void> {
      const from = invisibleFrom(position);
      const stale = (await derivedItems(sub, portfolioId, position.instrumentKey, from)).filter((item) => {
        const { orderKey, gen } = derivedOf(item);
        return !isValidDerived(position, orderKey, gen);
      });
      await batchWrite(stale.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
    },

    /**
     * Registers a generation as being written (fences concurrent derivations: the version moves on, and the
     * items of a generation it replaces can no longer be written). `abandoned`: the generations that never
     * committed whose items may still exist (kept until a commit after their collection).
     */
    async beginGeneration(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      expectedVersion: number,
      pending: { gen: string; from: string },
      abandoned: { gen: string; from: string }[],
    ): Promise<number> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: portfolioPartition(sub, portfolioId), sk: positionSortKey(instrumentKey) },
            UpdateExpression: 'SET pending = :pending, abandoned = :abandoned, version = :next',
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: {
              ':pending': pending,
              ':abandoned': abandoned,
              ':next': expectedVersion + 1,
              ':expected': expectedVersion,
            },
          }),
        );
      } catch (error: unknown) {
        if (isConditionFailure(error)) throw new ConcurrentChangeError(`Position ${instrumentKey}`, error);
        throw error;
      }
      return expectedVersion + 1;
    },

    /**
     * Writes the closed lots and checkpoints of a generation before it is committed (invisible until then),
     * fenced: each transaction checks that the position still names `gen` as pending (`fence: 'pending'`) or
     * still does not exist (`fence: 'new'`), so a derivation another one superseded writes nothing more.
     * Calls `written` with the keys of each part that landed; throws ConcurrentChangeError once fenced out.
     */
    async writeDerived(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      gen: string,
      closedLots: { orderKey: string; lot: ClosedLot }[],
      checkpoints: { orderKey: string; state: PositionState }[],
      fence: 'new' | 'pending',
      written: (keys: DerivedKey[]) => void,
    ): Promise<void> {
      const pk = portfolioPartition(sub, portfolioId);
      const counters = new Map<string, number>();
      const puts: Item[] = closedLots.map(({ orderKey, lot }) => {
        const index = counters.get(orderKey) ?? 0;
        counters.set(orderKey, index + 1);
        return {
          Put: {
            TableName: tableName,
            Item: {
              pk,
              sk: closedLotSortKey(orderKey, instrumentKey, gen, index),
              entity: 'CLOSED_LOT',
              instrumentKey,
              orderKey,
              gen,
              closeDate: lot.closeDate,
              lot: JSON.stringify(lot),
            },
          },
        };
      });
      for (const checkpoint of checkpoints) {
        puts.push({
          Put: {
            TableName: tableName,
            Item: {
              pk,
              sk: checkpointSortKey(instrumentKey, checkpoint.orderKey, gen),
              entity: 'CHECKPOINT',
              instrumentKey,
              orderKey: checkpoint.orderKey,
              gen,
              state: JSON.stringify(checkpoint.state),
            },
          },
        });
      }
      const check = {
        ConditionCheck: {
          TableName: tableName,
          Key: { pk, sk: positionSortKey(instrumentKey) },
          ...(fence === 'new'
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#pending.#gen = :gen',
                ExpressionAttributeNames: { '#pending': 'pending', '#gen': 'gen' },
                ExpressionAttributeValues: { ':gen': gen },
              }),
        },
      };
      for (const part of fencedParts(puts)) {
        const refused = await transactWrite(client, [check, ...part] as TransactItems);
        if (refused !== undefined) {
          if (refused.includes('ConditionalCheckFailed'))
            throw new ConcurrentChangeError(`Position ${instrumentKey}`);
          throw new Error(`The derived items of ${instrumentKey} were refused: ${refused.join(', ')}`);
        }
        written(part.map((put) => ({ pk, sk: String((put.Put as { Item: Item }).Item.sk) })));
      }
    },

    /** Deletes derived items of a generation that never committed (always safe: no reader counts them). */
    async discardDerived(keys: DerivedKey[]): Promise<void> {
      await batchWrite(keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })));
    },

    /**
     * One transaction: the position's new state (conditional on its version), the applied-trade mirror
     * (never moving a trade back to a lower version), cash balances (conditional on their versions) and the
     * holders indexes. Throws ConcurrentChangeError when another invocation got there first.
     */
    async commit(commit: PositionCommit): Promise<void> {
      const { sub, portfolioId } = commit;
      const pk = portfolioPartition(sub, portfolioId);
      const items: TransactItems = [];
      for (const position of commit.positions) {
        const { generation } = position;
        const values: Item = {
          ':entity': 'POSITION',
          ':owner': sub,
          ':portfolioId': portfolioId,
          ':ik': position.instrumentKey,
          ':symbol': position.instrument.symbol,
          ':currency': position.instrument.currency,
          ':instrument': JSON.stringify(position.instrument),
          ':state': JSON.stringify(position.state),
          ':gen': generation.gen,
          ':closedFrom': generation.closedFrom,
          ':since': position.sinceCheckpoint,
          ':base': position.baseCurrency,
          ':next': (position.expectedVersion ?? 0) + 1,
        };
        if (position.expectedVersion !== undefined) values[':expected'] = position.expectedVersion;
        items.push({
          Update: {
            TableName: tableName,
            Key: { pk, sk: positionSortKey(position.instrumentKey) },
            UpdateExpression:
              'SET entity = :entity, ownerSub = :owner, portfolioId = :portfolioId, instrumentKey = :ik, ' +
              'symbol = :symbol, currency = :currency, instrument = :instrument, #state = :state, gen = :gen, ' +
              'closedFrom = :closedFrom, sinceCheckpoint = :since, baseCurrency = :base, version = :next ' +
              'REMOVE pending, abandoned',
            ConditionExpression:
              position.expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: values,
          },
        });
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              pk: symbolHoldersPartition(position.instrument.symbol),
              sk: symbolHolderSortKey(sub, portfolioId, position.instrumentKey),
              entity: 'SYMBOL_HOLDER',
              ownerSub: sub,
              portfolioId,
              instrumentKey: position.instrumentKey,
            },
          },
        });
      }
      // the views: one update per chunk item (a transaction may touch an item once), every position of it
      const chunks = new Map<string, DerivedPosition[]>();
      for (const position of commit.positions) {
        const sk = viewChunkSortKey(position.instrumentKey);
        chunks.set(sk, [...(chunks.get(sk) ?? []), position]);
      }
      for (const [sk, positions] of chunks) {
        items.push({
          Update: {
            TableName: tableName,
            Key: { pk, sk },
            UpdateExpression: `SET entity = :entity, ${positions.map((_, index) => `#s${index} = :s${index}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(
              positions.map((position, index) => [
                `#s${index}`,
                viewSummaryAttribute(position.instrumentKey),
              ]),
            ),
            ExpressionAttributeValues: {
              ':entity': 'POSITION_VIEWS',
              ...Object.fromEntries(
                positions.map((position, index) => [`:s${index}`, JSON.stringify(position.summary)]),
              ),
            },
          },
        });
      }
      for (const applied of commit.applied) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              pk,
              sk: appliedTradeSortKey(applied.tradeId),
              entity: 'APPLIED_TRADE',
              tradeId: applied.tradeId,
              version: applied.version,
              orderKey: applied.orderKey,
              trade: JSON.stringify(applied.trade),
              ...(applied.instrumentKey === undefined
                ? {}
                : {
                    instrumentKey: applied.instrumentKey,
                    ledgerKey: ledgerKey(applied.instrumentKey, applied.orderKey),
                  }),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
            ExpressionAttributeValues: { ':version': applied.version },
          },
        });
      }
      const currencies = new Set<string>();
      for (const cash of commit.cash) {
        currencies.add(cash.currency);
        items.push({
          Update: {
            TableName: tableName,
            Key: { pk, sk: cashSortKey(cash.currency) },
            UpdateExpression:
              'SET entity = :entity, currency = :currency, balance = :balance, income = :income, version = :next',
            ConditionExpression:
              cash.expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ExpressionAttributeValues: {
              ':entity': 'CASH',
              ':currency': cash.currency,
              ':balance': cash.balance,
              ':income': cash.income,
              ':next': cash.expectedVersion + 1,
              ...(cash.expectedVersion === 0 ? {} : { ':expected': cash.expectedVersion }),
            },
          },
        });
      }
      for (const position of commit.positions) currencies.add(position.instrument.currency);
      for (const currency of currencies) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              pk: currencyHoldersPartition(currency),
              sk: currencyHolderSortKey(sub, portfolioId),
              entity: 'CURRENCY_HOLDER',
              ownerSub: sub,
              portfolioId,
            },
          },
        });
      }
      if (items.length > 100) throw new Error(`A commit of ${items.length} items exceeds one transaction`);
      // a conflict with another writer of these items (the MarketData consumer's marks) or throttling is
      // retried with capped back-off; a failed condition means another derivation won: re-read and derive again
      const refused = await transactWrite(client, items);
      if (refused === undefined) return;
      if (refused.includes('ConditionalCheckFailed'))
        throw new ConcurrentChangeError(`Portfolio ${portfolioId}`);
      throw new Error(`The positions commit of portfolio ${portfolioId} was refused: ${refused.join(', ')}`);
    },

    /**
     * Sets a position's price mark (beside its summary in the view chunk; false when the position does not
     * exist). The chunk is shared with other positions' views: a transaction committing one of them at the
     * same moment is waited out (capped back-off), never overwritten (only this mark's attribute is set).
     */
    setMark(sub: string, portfolioId: string, instrumentKey: string, mark: StoredMark): Promise<boolean> {
      return retryWithBackoff('position mark', async (): Promise<RetryStep<boolean>> => {
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: portfolioPartition(sub, portfolioId), sk: viewChunkSortKey(instrumentKey) },
              UpdateExpression: 'SET #mark = :mark',
              ConditionExpression: 'attribute_exists(#summary)',
              ExpressionAttributeNames: {
                '#mark': viewMarkAttribute(instrumentKey),
                '#summary': viewSummaryAttribute(instrumentKey),
              },
              ExpressionAttributeValues: { ':mark': JSON.stringify(mark) },
            }),
          );
          return { done: true, value: true };
        } catch (error: unknown) {
          if (isConditionFailure(error)) return { done: true, value: false };
          if (isTransientStorageError(error)) return { done: false, cause: error };
          throw error;
        }
      });
    },

    /** Holders of a symbol: every (sub, portfolio, position) that ever held it. */
    async symbolHolders(
      symbol: string,
    ): Promise<{ sub: string; portfolioId: string; instrumentKey: string }[]> {
      const items = await reader.queryAll({
        pk: symbolHoldersPartition(symbol),
        consistent: false,
      });
      return items.map((item) => ({
        sub: String(item.ownerSub),
        portfolioId: String(item.portfolioId),
        instrumentKey: String(item.instrumentKey),
      }));
    },

    /** Portfolios with positions or cash in a currency. */
    async currencyHolders(currency: string): Promise<{ sub: string; portfolioId: string }[]> {
      const items = await reader.queryAll({
        pk: currencyHoldersPartition(currency),
        consistent: false,
      });
      return items.map((item) => ({ sub: String(item.ownerSub), portfolioId: String(item.portfolioId) }));
    },

    /**
     * Notes that a portfolio has a trade that could not be applied for want of any `from`→`to` rate, in one
     * transaction: the pair's index of waiting portfolios (what a rate's arrival reads) and a mark in the
     * portfolio's partition (what `GET …/positions` shows). Idempotent; a new `waitId` with each failure, so a
     * catch-up that started before it does not clear it.
     */
    async waitForRate(
      sub: string,
      portfolioId: string,
      from: string,
      to: string,
      waitId: string,
    ): Promise<void> {
      const refused = await transactWrite(client, [
        {
          Put: {
            TableName: tableName,
            Item: {
              pk: rateWaitPartition(from, to),
              sk: currencyHolderSortKey(sub, portfolioId),
              entity: 'RATE_WAIT',
              ownerSub: sub,
              portfolioId,
              waitId,
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              pk: portfolioPartition(sub, portfolioId),
              sk: rateWaitMarkSortKey(from, to),
              entity: 'RATE_WAIT_MARK',
              from,
              to,
              waitId,
            },
          },
        },
      ]);
      if (refused !== undefined) throw new Error(`The rate wait was refused: ${refused.join(', ')}`);
    },

    /** The portfolios waiting for a `from`→`to` rate. */
    async rateWaiters(
      from: string,
      to: string,
    ): Promise<{ sub: string; portfolioId: string; waitId: string }[]> {
      const items = await reader.queryAll({ pk: rateWaitPartition(from, to), consistent: true });
      return items.map((item) => ({
        sub: String(item.ownerSub),
        portfolioId: String(item.portfolioId),
        waitId: String(item.waitId),
      }));
    },

    /** Clears a wait a catch-up resolved (both items), unless a newer failure (another `waitId`) was noted meanwhile. */
    async rateWaitResolved(sub: string, portfolioId: string, from: string, to: string, waitId: string) {
      const condition = {
        ConditionExpression: 'waitId = :waitId',
        ExpressionAttributeValues: { ':waitId': waitId },
      };
      const refused = await transactWrite(client, [
        {
          Delete: {
            TableName: tableName,
            Key: { pk: rateWaitPartition(from, to), sk: currencyHolderSortKey(sub, portfolioId) },
            ...condition,
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: { pk: portfolioPartition(sub, portfolioId), sk: rateWaitMarkSortKey(from, to) },
            ...condition,
          },
        },
      ]);
      if (refused !== undefined && !refused.includes('ConditionalCheckFailed'))
        throw new Error(`Clearing the rate wait was refused: ${refused.join(', ')}`);
    },

    /** Drops everything of a deleted portfolio: its partition and its entries in the holders indexes. */
    async dropPortfolio(sub: string, portfolioId: string): Promise<void> {
      const pk = portfolioPartition(sub, portfolioId);
      const positions = await reader.listPositions(sub, portfolioId);
      const cash = await reader.listCash(sub, portfolioId);
      const holderDeletes: Item[] = [
        ...positions.map((position) => ({
          DeleteRequest: {
            Key: {
              pk: symbolHoldersPartition(position.instrument.symbol),
              sk: symbolHolderSortKey(sub, portfolioId, position.instrumentKey),
            },
          },
        })),
        ...[...new Set([...positions.map((p) => p.instrument.currency), ...cash.map((c) => c.currency)])].map(
          (currency) => ({
            DeleteRequest: {
              Key: { pk: currencyHoldersPartition(currency), sk: currencyHolderSortKey(sub, portfolioId) },
            },
          }),
        ),
      ];
      await batchWrite(holderDeletes);
      let startKey: Item | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: startKey,
          }),
        );
        await batchWrite(
          (page.Items ?? []).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
        );
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
    },
  };
};

export type PositionsStore = ReturnType<typeof buildPositionsStore>;

/** Exponential backoff with full jitter: 25 ms doubling per attempt, capped at 1 s. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

/** Tables the positions reader reads: its own, the Trades table (portfolio settings) and MarketData (FX). */
export interface PositionsReaderTables {
  positions: string;
  trades: string;
  marketData: string;
}

/**
 * The positions of a portfolio as `GET /portfolios/{portfolioId}/positions` answers them (and the WebSocket
 * snapshot sends them): undefined when the portfolio does not exist or is not the caller's.
 */
export const buildPositionsReader = (
  client: DynamoDBDocumentClient,
  tables: PositionsReaderTables,
  engine: LotEngine,
  now: () => Date = () => new Date(),
) => {
  const positions = buildPositionsTableReader(client, tables.positions);
  const portfolios = buildPortfoliosReader(client, tables.trades);
  const marketData = buildMarketDataReader(client, tables.marketData);
  return {
    async getPortfolioPositions(
      sub: string,
      portfolioId: string,
      options: { includeClosed: boolean },
    ): Promise<PortfolioPositions | undefined> {
      const [settings, stored, cash, waits] = await Promise.all([
        portfolios.getPortfolioSettings(sub, portfolioId),
        positions.listPositionViews(sub, portfolioId),
        positions.listCash(sub, portfolioId),
        positions.listRateWaits(sub, portfolioId),
      ]);
      if (settings === undefined) return undefined;
      const currencies = new Set([
        ...stored.map((position) => position.instrument.currency),
        ...cash.map((balance) => balance.currency),
      ]);
      const rates = new Map<string, string | undefined>(
        await Promise.all(
          [...currencies].map(
            async (currency) =>
              [currency, (await marketData.latestRate(sub, currency, settings.baseCurrency))?.rate] as const,
          ),
        ),
      );
      const valued = valuePortfolio(engine, {
        baseCurrency: settings.baseCurrency,
        lotMethod: settings.lotMethod,
        positions: stored,
        cash,
        latestToBase: (currency) => (currency === settings.baseCurrency ? '1' : rates.get(currency)),
        includeClosed: options.includeClosed,
        now: now(),
      });
      // trades not applied yet for want of a rate: said, never silently left out
      return waits.length === 0 ? valued : { ...valued, waitingForRates: waits };
    },
  };
};

export type PositionsReader = ReturnType<typeof buildPositionsReader>;
