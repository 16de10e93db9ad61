import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  batchWriteAll,
  DEFAULT_RETRY_POLICY,
  type DynamoKey,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  itemReader,
  type Page,
  type PageRequest,
  type Portfolio,
  PortfolioSchema,
  type RetryPolicy,
  type Trade,
  TradeSchema,
  type TradeType,
  type TransactItems,
  transactWrite,
} from '@kupala/trade-model';

export type { Page, PageRequest } from '@kupala/trade-model';
export interface TradeFilter {
  from?: string;
  to?: string;
  symbol?: string;
  type?: TradeType;
}
export type InsertOutcome =
  | { kind: 'OK' }
  | { kind: 'NO_PORTFOLIO' }
  | { kind: 'DUPLICATE_EXTERNAL_ID'; externalIds: string[] };
export type BatchState = 'STAGING' | 'COMMITTING' | 'COMMITTED';
export type BatchOpening =
  | { kind: 'NEW' | 'RESUMED'; state: BatchState; tradeIds: string[]; bookedAt: string }
  | { kind: 'NO_PORTFOLIO' }
  | { kind: 'OTHER_REQUEST' };
export type ChangeOutcome =
  | { kind: 'OK'; trade: Trade }
  | { kind: 'NOT_FOUND' }
  | { kind: 'STALE'; currentVersion: number }
  | { kind: 'CANCELLED' }
  | { kind: 'DUPLICATE_EXTERNAL_ID'; externalIds: string[] };

// Every key starts with the owner's sub: another user's ids simply address nothing.
const userKey = (sub: string) => `USER#${sub}`;
const portfolioSortKey = (portfolioId: string) => `PORTFOLIO#${portfolioId}`;
/** The partition of one portfolio's trades, versions, markers and imports. */
export const portfolioTradesKey = (sub: string, portfolioId: string) =>
  `USER#${sub}#PORTFOLIO#${portfolioId}`;
const tradeSortKey = (tradeId: string) => `TRADE#${tradeId}`;
const versionSortKey = (tradeId: string, version: number) =>
  `TRADEVERSION#${tradeId}#${String(version).padStart(6, '0')}`;
const externalIdSortKey = (externalId: string) => `EXTERNALID#${externalId}`;
const fingerprintSortKey = (fingerprint: string) => `IMPORTFP#${fingerprint}`;
const tradeOrderKey = (trade: Pick<Trade, 'tradeDate' | 'tradeId'>) => `${trade.tradeDate}#${trade.tradeId}`;

const toPortfolio = itemReader<Portfolio>(PortfolioSchema);
const toTrade = itemReader<Trade>(TradeSchema);

/** A transaction cancelled for a reason the caller does not handle (throttling, a conflict…): retried upstream. */
export class TransactionRefusedError extends Error {
  override readonly name = 'TransactionRefusedError';
  constructor(readonly reasons: (string | undefined)[]) {
    super(
      `Transaction cancelled: ${reasons.filter((reason) => reason !== undefined && reason !== 'None').join(', ')}`,
    );
  }
}

/**
 * The portfolio a Trades-stream image is the record of, when that portfolio is marked deleted (a stream
 * image: attributes in DynamoDB's typed form); undefined for any other item.
 */
export const deletedPortfolioOf = (
  image: Record<string, { S?: string }> | undefined,
): { sub: string; portfolioId: string } | undefined => {
  const pk = image?.pk?.S;
  const sk = image?.sk?.S;
  if (pk === undefined || sk === undefined || image?.deletedAt?.S === undefined) return undefined;
  if (!pk.startsWith('USER#') || !sk.startsWith('PORTFOLIO#')) return undefined;
  const sub = pk.slice('USER#'.length);
  const portfolioId = sk.slice('PORTFOLIO#'.length);
  return sub === '' || portfolioId === '' || sub.includes('#') ? undefined : { sub, portfolioId };
};

/** Entity of a booked trade's current version: the positions engine reads the stream filtered on it. */
export const TRADE_ENTITY = 'TRADE';
/** A trade of a batch that is not committed yet: invisible to every reader and to the positions engine. */
export const STAGED_TRADE_ENTITY = 'STAGED_TRADE';
// a portfolio that exists and is not being deleted
const LIVE_PORTFOLIO = 'attribute_exists(pk) AND attribute_not_exists(deletedAt)';
const PURGE_PAGE = 100;
const BATCH_RECORD_TTL_SECONDS = 24 * 60 * 60;
// trade + broker-id marker per trade, plus one portfolio check: <= 100 items
const SINGLE_TRANSACTION_TRADES = 49;
/** Imported trades per transaction: trade + broker-id marker + fingerprint marker, plus the check: <= 100 items. */
export const IMPORT_CHUNK = 33;

/** A trade of an import with its fingerprint (see domain/imports/fingerprint.ts). */
export interface FingerprintedTrade {
  trade: Trade;
  fingerprint: string;
}
export type ImportInsertOutcome = { kind: 'OK' } | { kind: 'NO_PORTFOLIO' } | { kind: 'ALREADY_BOOKED' };

/**
 * DynamoDB access for portfolios and trades: one table, owner-first keys. The current version of a trade
 * is `TRADE#<id>` (on the stream with old and new images for the positions engine); each version an amend or
 * cancel replaces is kept as `TRADEVERSION#<id>#<n>` for the audit (booking writes one item, not two); `EXTERNALID#<id>` markers keep broker ids unique.
 */
export const buildTradesStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
) => {
  /** Runs a transaction (conflicts and throttling retried, bounded): undefined when it committed, else the reasons. */
  const transact = (items: TransactItems) => transactWrite(client, items, retryPolicy);

  const getPortfolio = async (sub: string, portfolioId: string): Promise<Portfolio | undefined> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) } }),
    );
    // a portfolio being deleted is gone for every reader from the first moment (see purgePortfolio)
    return Item === undefined || Item.deletedAt !== undefined ? undefined : toPortfolio(Item);
  };

  const getTrade = async (sub: string, portfolioId: string, tradeId: string): Promise<Trade | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: portfolioTradesKey(sub, portfolioId), sk: tradeSortKey(tradeId) },
        ConsistentRead: true,
      }),
    );
    // a staged trade of an unfinished batch is not booked yet (see trade batches below)
    return Item === undefined || Item.entity !== TRADE_ENTITY ? undefined : toTrade(Item);
  };

  const tradeItem = (sub: string, trade: Trade) => {
    const pk = portfolioTradesKey(sub, trade.portfolioId);
    return {
      pk,
      sk: tradeSortKey(trade.tradeId),
      gsi1pk: pk,
      gsi1sk: tradeOrderKey(trade),
      entity: TRADE_ENTITY,
      ownerSub: sub,
      symbol: trade.instrument?.symbol,
      ...trade,
    };
  };
  const versionItem = (sub: string, trade: Trade) => ({
    pk: portfolioTradesKey(sub, trade.portfolioId),
    sk: versionSortKey(trade.tradeId, trade.version),
    entity: 'TRADE_VERSION',
    ...trade,
  });
  const markerPut = (sub: string, trade: Trade, externalId: string) => ({
    Put: {
      TableName: tableName,
      Item: {
        pk: portfolioTradesKey(sub, trade.portfolioId),
        sk: externalIdSortKey(externalId),
        entity: 'EXTERNAL_ID',
        tradeId: trade.tradeId,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const portfolioCheck = (sub: string, portfolioId: string) => ({
    ConditionCheck: {
      TableName: tableName,
      Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
      ConditionExpression: LIVE_PORTFOLIO,
    },
  });
  /** A new trade: its current version, which must not exist yet (earlier versions are kept when replaced). */
  const newTradePuts = (sub: string, trade: Trade) => [
    {
      Put: {
        TableName: tableName,
        Item: tradeItem(sub, trade),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];

  /** Writes trades atomically per chunk: portfolio must exist, external ids must be new. */
  const insertChunk = async (sub: string, portfolioId: string, trades: Trade[]): Promise<InsertOutcome> => {
    const items: TransactItems = [portfolioCheck(sub, portfolioId)];
    const markerOwners: (string | undefined)[] = [undefined];
    for (const trade of trades) {
      items.push(...newTradePuts(sub, trade));
      markerOwners.push(undefined);
      if (trade.externalId !== undefined) {
        items.push(markerPut(sub, trade, trade.externalId));
        markerOwners.push(trade.externalId);
      }
    }
    const codes = await transact(items);
    if (codes === undefined) return { kind: 'OK' };
    if (codes[0] === 'ConditionalCheckFailed') return { kind: 'NO_PORTFOLIO' };
    const duplicates = codes.flatMap((code, index) =>
      code === 'ConditionalCheckFailed' && markerOwners[index] !== undefined
        ? [markerOwners[index] as string]
        : [],
    );
    if (duplicates.length > 0) return { kind: 'DUPLICATE_EXTERNAL_ID', externalIds: duplicates };
    throw new TransactionRefusedError(codes);
  };

  /** The marker items of the portfolio with these sort keys (BatchGet, 100 keys a request). */
  const markersOf = async (
    sub: string,
    portfolioId: string,
    sortKeys: string[],
    projection: string,
  ): Promise<Record<string, unknown>[]> => {
    const pk = portfolioTradesKey(sub, portfolioId);
    const keys = sortKeys.map((sk) => ({ pk, sk }));
    return batchGetAll(client, tableName, keys, projection, retryPolicy);
  };

  /** Which of these broker ids are already booked in the portfolio. */
  const existingExternalIds = async (
    sub: string,
    portfolioId: string,
    externalIds: string[],
  ): Promise<string[]> => {
    const items = await markersOf(sub, portfolioId, externalIds.map(externalIdSortKey), 'sk');
    return items.map((item) => String(item.sk).slice('EXTERNALID#'.length));
  };

  /** Fingerprints already stored in the portfolio, each with the import that booked it. */
  const existingFingerprints = async (
    sub: string,
    portfolioId: string,
    fingerprints: string[],
  ): Promise<Map<string, string>> => {
    const items = await markersOf(sub, portfolioId, fingerprints.map(fingerprintSortKey), 'sk, importId');
    return new Map(
      items.map((item) => [String(item.sk).slice('IMPORTFP#'.length), String(item.importId ?? '')]),
    );
  };

  /**
   * Books imported trades in one transaction with their fingerprint markers (and broker-id markers): a
   * trade is booked if and only if its fingerprint is stored. ALREADY_BOOKED when a marker exists (a
   * concurrent run of the same import, or a broker id booked meanwhile): nothing of the chunk is written.
   */
  const insertImportedChunk = async (
    sub: string,
    portfolioId: string,
    importId: string,
    chunk: FingerprintedTrade[],
  ): Promise<ImportInsertOutcome> => {
    const pk = portfolioTradesKey(sub, portfolioId);
    const items: TransactItems = [portfolioCheck(sub, portfolioId)];
    for (const { trade, fingerprint } of chunk) {
      items.push(...newTradePuts(sub, trade));
      if (trade.externalId !== undefined) items.push(markerPut(sub, trade, trade.externalId));
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            pk,
            sk: fingerprintSortKey(fingerprint),
            entity: 'IMPORT_FINGERPRINT',
            importId,
            tradeId: trade.tradeId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const codes = await transact(items);
    if (codes === undefined) return { kind: 'OK' };
    if (codes[0] === 'ConditionalCheckFailed') return { kind: 'NO_PORTFOLIO' };
    if (codes.includes('ConditionalCheckFailed')) return { kind: 'ALREADY_BOOKED' };
    throw new TransactionRefusedError(codes);
  };

  /** Replaces the current version if it is still `expectedVersion`, keeping the replaced one for the audit. */
  const replaceTrade = async (
    sub: string,
    next: Trade,
    expectedVersion: number,
    previous: Trade,
  ): Promise<ChangeOutcome> => {
    const items: TransactItems = [
      {
        Put: {
          TableName: tableName,
          Item: tradeItem(sub, next),
          ConditionExpression:
            'attribute_exists(pk) AND entity = :trade AND #version = :expected AND #status = :active',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: {
            ':expected': expectedVersion,
            ':active': 'ACTIVE',
            ':trade': TRADE_ENTITY,
          },
        },
      },
      { Put: { TableName: tableName, Item: versionItem(sub, previous) } },
    ];
    const externalIdChanged = next.externalId !== previous.externalId;
    if (externalIdChanged && next.externalId !== undefined) items.push(markerPut(sub, next, next.externalId));
    if (externalIdChanged && previous.externalId !== undefined) {
      items.push({
        Delete: {
          TableName: tableName,
          Key: { pk: portfolioTradesKey(sub, next.portfolioId), sk: externalIdSortKey(previous.externalId) },
        },
      });
    }
    const codes = await transact(items);
    if (codes === undefined) return { kind: 'OK', trade: next };
    if (codes[2] === 'ConditionalCheckFailed' && next.externalId !== undefined) {
      return { kind: 'DUPLICATE_EXTERNAL_ID', externalIds: [next.externalId] };
    }
    if (codes[0] !== 'ConditionalCheckFailed') throw new TransactionRefusedError(codes);
    const current = await getTrade(sub, next.portfolioId, next.tradeId);
    if (current === undefined) return { kind: 'NOT_FOUND' };
    if (current.status === 'CANCELLED') return { kind: 'CANCELLED' };
    return { kind: 'STALE', currentVersion: current.version };
  };

  // ---- trade batches: staged invisibly, then committed (see bookTradesBatch) ----
  const batchRecordKey = (sub: string, portfolioId: string, batchKey: string) => ({
    pk: portfolioTradesKey(sub, portfolioId),
    sk: `BATCH#${batchKey}`,
  });
  /** A staged trade: no gsi1pk (so no list or export sees it), not entity TRADE (so no stream consumer does). */
  const stagedItem = (sub: string, trade: Trade, batchKey: string) => {
    const { gsi1pk: _unlisted, ...item } = tradeItem(sub, trade);
    return { ...item, entity: STAGED_TRADE_ENTITY, stagedBy: batchKey };
  };

  /**
   * Opens (or finds) the batch record of `batchKey`. NEW: a first attempt, with `fresh` ids and stamp.
   * RESUMED: an earlier attempt of the same request (same hash) left it unfinished or finished; it carries
   * that attempt's ids and stamp so a retry writes the very same trades. OTHER_REQUEST: the key belongs to
   * a batch of another body that got past staging.
   */
  const openBatch = async (
    sub: string,
    portfolioId: string,
    batchKey: string,
    requestHash: string,
    fresh: { tradeIds: string[]; bookedAt: string },
  ): Promise<BatchOpening> => {
    const key = batchRecordKey(sub, portfolioId, batchKey);
    const record = { ...key, entity: 'TRADE_BATCH', state: 'STAGING', requestHash, ...fresh };
    const codes = await transact([
      portfolioCheck(sub, portfolioId),
      {
        Put: {
          TableName: tableName,
          Item: record,
          // a first attempt, or one for another body that never got past staging (its staging was undone)
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :staging AND requestHash <> :hash)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':staging': 'STAGING', ':hash': requestHash },
        },
      },
    ]);
    if (codes === undefined) return { kind: 'NEW', state: 'STAGING', ...fresh };
    if (codes[0] === 'ConditionalCheckFailed') return { kind: 'NO_PORTFOLIO' };
    if (codes[1] !== 'ConditionalCheckFailed') throw new TransactionRefusedError(codes);
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    if (Item === undefined || Item.requestHash !== requestHash) return { kind: 'OTHER_REQUEST' };
    return {
      kind: 'RESUMED',
      state: Item.state as BatchState,
      tradeIds: Item.tradeIds as string[],
      bookedAt: String(Item.bookedAt),
    };
  };

  /** Removes what a batch staged (only in STAGING: nothing of it is visible), then its record. */
  const undoStaging = async (sub: string, portfolioId: string, batchKey: string, trades: Trade[]) => {
    const pk = portfolioTradesKey(sub, portfolioId);
    await batchWriteAll(
      client,
      tableName,
      trades.map((trade) => ({ DeleteRequest: { Key: { pk, sk: tradeSortKey(trade.tradeId) } } })),
      retryPolicy,
    );
    // a broker-id marker is removed only if this batch wrote it: the same id may be another trade's
    const externalIds = trades.flatMap((trade) => (trade.externalId === undefined ? [] : [trade.externalId]));
    for (let start = 0; start < externalIds.length; start += 10) {
      await Promise.all(
        externalIds.slice(start, start + 10).map(async (externalId) => {
          try {
            await client.send(
              new DeleteCommand({
                TableName: tableName,
                Key: { pk, sk: externalIdSortKey(externalId) },
                ConditionExpression: 'stagedBy = :batch',
                ExpressionAttributeValues: { ':batch': batchKey },
              }),
            );
          } catch (error: unknown) {
            if (!isConditionFailure(error)) throw error;
          }
        }),
      );
    }
    await client
      .send(
        new DeleteCommand({
          TableName: tableName,
          Key: batchRecordKey(sub, portfolioId, batchKey),
          ConditionExpression: '#state = :staging',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':staging': 'STAGING' },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  };

  /**
   * Phase 1: writes every trade of the batch as a staged item with its broker-id marker, 49 trades per
   * transaction; a rewrite by a retry of the same batch is allowed. Then the record moves to COMMITTING.
   * Any failure (a repeated broker id, a missing portfolio, storage that stays busy) undoes the staging,
   * so nothing of the batch remains, and is answered or rethrown.
   */
  const stageBatch = async (
    sub: string,
    portfolioId: string,
    batchKey: string,
    trades: Trade[],
  ): Promise<InsertOutcome> => {
    const pk = portfolioTradesKey(sub, portfolioId);
    const stageChunk = async (chunk: Trade[]): Promise<InsertOutcome> => {
      const items: TransactItems = [portfolioCheck(sub, portfolioId)];
      const markerOwners: (string | undefined)[] = [undefined];
      for (const trade of chunk) {
        items.push({
          Put: {
            TableName: tableName,
            Item: stagedItem(sub, trade, batchKey),
            ConditionExpression: 'attribute_not_exists(pk) OR stagedBy = :batch',
            ExpressionAttributeValues: { ':batch': batchKey },
          },
        });
        markerOwners.push(undefined);
        if (trade.externalId !== undefined) {
          items.push({
            Put: {
              TableName: tableName,
              Item: {
                pk,
                sk: externalIdSortKey(trade.externalId),
                entity: 'EXTERNAL_ID',
                tradeId: trade.tradeId,
                stagedBy: batchKey,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR stagedBy = :batch',
              ExpressionAttributeValues: { ':batch': batchKey },
            },
          });
          markerOwners.push(trade.externalId);
        }
      }
      const codes = await transact(items);
      if (codes === undefined) return { kind: 'OK' };
      if (codes[0] === 'ConditionalCheckFailed') return { kind: 'NO_PORTFOLIO' };
      const duplicates = codes.flatMap((code, index) => {
        const owner = markerOwners[index];
        return code === 'ConditionalCheckFailed' && owner !== undefined ? [owner] : [];
      });
      if (duplicates.length > 0) return { kind: 'DUPLICATE_EXTERNAL_ID', externalIds: duplicates };
      throw new TransactionRefusedError(codes);
    };
    try {
      for (let start = 0; start < trades.length; start += SINGLE_TRANSACTION_TRADES) {
        const outcome = await stageChunk(trades.slice(start, start + SINGLE_TRANSACTION_TRADES));
        if (outcome.kind !== 'OK') {
          await undoStaging(sub, portfolioId, batchKey, trades);
          return outcome;
        }
      }
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: batchRecordKey(sub, portfolioId, batchKey),
          UpdateExpression: 'SET #state = :committing',
          ConditionExpression: '#state = :staging',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':committing': 'COMMITTING', ':staging': 'STAGING' },
        }),
      );
      return { kind: 'OK' };
    } catch (error: unknown) {
      try {
        await undoStaging(sub, portfolioId, batchKey, trades);
      } catch (undoError: unknown) {
        // left staged (invisible); a retry with the same Idempotency-Key rewrites and finishes them
        throw new AggregateError([error, undoError], 'Staging failed and could not be undone');
      }
      throw error;
    }
  };

  /**
   * Phase 2: turns every staged trade into a booked one (entity TRADE, listed), 100 per transaction, then
   * marks the batch COMMITTED. Re-running it after a failure finishes the rest: a trade already turned is
   * left as it is. A failure here leaves the batch COMMITTING for a retry with the same key to finish.
   */
  const commitBatch = async (sub: string, portfolioId: string, batchKey: string, trades: Trade[]) => {
    const pk = portfolioTradesKey(sub, portfolioId);
    const turn = (trade: Trade) => ({
      TableName: tableName,
      Key: { pk, sk: tradeSortKey(trade.tradeId) },
      UpdateExpression: 'SET entity = :trade, gsi1pk = :pk REMOVE stagedBy',
      ConditionExpression: 'stagedBy = :batch',
      ExpressionAttributeValues: { ':trade': TRADE_ENTITY, ':pk': pk, ':batch': batchKey },
    });
    for (let start = 0; start < trades.length; start += 100) {
      const chunk = trades.slice(start, start + 100);
      const codes = await transact(chunk.map((trade) => ({ Update: turn(trade) })));
      if (codes === undefined) continue;
      if (!codes.includes('ConditionalCheckFailed')) throw new TransactionRefusedError(codes);
      // some were turned by an earlier attempt: turn the others one by one
      for (const trade of chunk) {
        try {
          await client.send(new UpdateCommand(turn(trade)));
        } catch (error: unknown) {
          if (!isConditionFailure(error)) throw error;
        }
      }
    }
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: batchRecordKey(sub, portfolioId, batchKey),
        // kept a day, like the Idempotency-Key: a late retry still answers the same trades
        UpdateExpression: 'SET #state = :committed, expiresAt = :expires',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':committed': 'COMMITTED',
          ':expires': Math.floor(Date.now() / 1000) + BATCH_RECORD_TTL_SECONDS,
        },
      }),
    );
  };

  return {
    getPortfolio,
    openBatch,
    stageBatch,
    commitBatch,
    getTrade,
    existingExternalIds,
    existingFingerprints,
    insertImportedChunk,
    replaceTrade,

    async createPortfolio(sub: string, portfolio: Portfolio): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: userKey(sub),
            sk: portfolioSortKey(portfolio.portfolioId),
            entity: 'PORTFOLIO',
            ...portfolio,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async listPortfolios(sub: string, page: PageRequest): Promise<Page<Portfolio>> {
      const partition = { pk: userKey(sub) };
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': 'PORTFOLIO#' },
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor, {
            equals: partition,
            sortKey: { name: 'sk', prefix: 'PORTFOLIO#' },
          }),
        }),
      );
      return {
        items: (result.Items ?? []).map(toPortfolio),
        nextCursor: encodeCursor(result.LastEvaluatedKey as DynamoKey | undefined),
      };
    },

    /** Applies `changes` (null removes a field); undefined when the portfolio does not exist. */
    async updatePortfolio(
      sub: string,
      portfolioId: string,
      changes: Record<string, unknown>,
    ): Promise<Portfolio | undefined> {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const removes: string[] = [];
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        if (value === null) removes.push(`#${field}`);
        else {
          values[`:${field}`] = value;
          sets.push(`#${field} = :${field}`);
        }
      }
      const expression = [
        sets.length > 0 ? `SET ${sets.join(', ')}` : '',
        removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .join(' ')
        .trim();
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
            UpdateExpression: expression,
            ConditionExpression: LIVE_PORTFOLIO,
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes === undefined ? undefined : toPortfolio(Attributes);
      } catch (error: unknown) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    /**
     * Step 1 of a deletion: marks the portfolio deleted (every read and every booking sees it gone from
     * now on). False when there is no such portfolio; true again for one already being deleted.
     */
    async markPortfolioDeleted(sub: string, portfolioId: string, now: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
            UpdateExpression: 'SET deletedAt = if_not_exists(deletedAt, :now)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /**
     * Step 2: deletes everything of a portfolio marked deleted (trades, staged trades, versions, markers,
     * batches, imports, mappings), a page at a time, while `keepGoing()` says there is time; the portfolio
     * record itself goes last. DONE when nothing is left; MORE when it stopped early (run it again).
     */
    async purgePortfolio(
      sub: string,
      portfolioId: string,
      keepGoing: () => boolean = () => true,
    ): Promise<'DONE' | 'MORE'> {
      const pk = portfolioTradesKey(sub, portfolioId);
      for (;;) {
        if (!keepGoing()) return 'MORE';
        // always from the start: what a page deleted is gone, so the next page is what is left
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'pk, sk',
            ConsistentRead: true,
            Limit: PURGE_PAGE,
          }),
        );
        const items = page.Items ?? [];
        if (items.length === 0) break;
        await batchWriteAll(
          client,
          tableName,
          items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
          retryPolicy,
        );
      }
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
            ConditionExpression: 'attribute_exists(deletedAt)',
          }),
        );
      } catch (error: unknown) {
        if (!isConditionFailure(error)) throw error;
      }
      return 'DONE';
    },

    /** Stores up to 49 new trades in one transaction: portfolio must exist, external ids must be new. */
    async insertTrades(sub: string, portfolioId: string, trades: Trade[]): Promise<InsertOutcome> {
      if (trades.length > SINGLE_TRANSACTION_TRADES)
        throw new RangeError(
          `insertTrades takes at most ${SINGLE_TRANSACTION_TRADES} trades (see trade batches)`,
        );
      return insertChunk(sub, portfolioId, trades);
    },

    /**
     * Every trade of the portfolio in application order, a page at a time (never all of them at once); the
     * next page is read while the caller works on the current one.
     */
    async *tradePages(sub: string, portfolioId: string, pageSize = 1000): AsyncGenerator<Trade[]> {
      const read = (cursor: string | undefined) =>
        this.listTrades(sub, portfolioId, {}, { limit: pageSize, cursor });
      let next = read(undefined);
      for (;;) {
        const page = await next;
        const cursor = page.nextCursor ?? undefined;
        if (cursor !== undefined) next = read(cursor);
        yield page.items;
        if (cursor === undefined) return;
      }
    },

    /** Every version of a trade, oldest first: the replaced ones from the audit, then the current one. */
    async listTradeVersions(sub: string, portfolioId: string, tradeId: string): Promise<Trade[]> {
      const current = await getTrade(sub, portfolioId, tradeId);
      if (current === undefined) return [];
      const versions: Trade[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': portfolioTradesKey(sub, portfolioId),
              ':prefix': `TRADEVERSION#${tradeId}#`,
            },
            ExclusiveStartKey: startKey,
          }),
        );
        versions.push(...(result.Items ?? []).map(toTrade));
        startKey = result.LastEvaluatedKey;
      } while (startKey !== undefined);
      return [...versions.filter((version) => version.version < current.version), current];
    },

    /** Trades in application order: tradeDate, then booking order (ULIDs sort by booking time). */
    async listTrades(
      sub: string,
      portfolioId: string,
      filter: TradeFilter,
      page: PageRequest,
    ): Promise<Page<Trade>> {
      const pk = portfolioTradesKey(sub, portfolioId);
      const filters: string[] = [];
      const values: Record<string, unknown> = {
        ':pk': pk,
        ':from': `${filter.from ?? '0000-00-00'}#`,
        ':to': `${filter.to ?? '9999-99-99'}#~`,
      };
      if (filter.symbol !== undefined) {
        filters.push('symbol = :symbol');
        values[':symbol'] = filter.symbol.trim().toUpperCase();
      }
      if (filter.type !== undefined) {
        filters.push('#type = :type');
        values[':type'] = filter.type;
      }
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(filter.type !== undefined ? { ExpressionAttributeNames: { '#type': 'type' } } : {}),
          ExpressionAttributeValues: values,
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor, {
            equals: { gsi1pk: pk, pk },
            sortKey: { name: 'gsi1sk', from: values[':from'] as string, to: values[':to'] as string },
            others: ['sk'],
          }),
        }),
      );
      return {
        items: (result.Items ?? []).map(toTrade),
        nextCursor: encodeCursor(result.LastEvaluatedKey as DynamoKey | undefined),
      };
    },
  };
};

export type TradesStore = ReturnType<typeof buildTradesStore>;
