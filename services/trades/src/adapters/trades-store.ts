import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type DynamoKey,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  itemReader,
  type Page,
  type PageRequest,
  type Portfolio,
  PortfolioSchema,
  type Trade,
  TradeSchema,
  type TradeType,
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

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** A transaction cancelled for a reason the caller does not handle (throttling, a conflict…): retried upstream. */
export class TransactionRefusedError extends Error {
  override readonly name = 'TransactionRefusedError';
  constructor(readonly reasons: (string | undefined)[]) {
    super(
      `Transaction cancelled: ${reasons.filter((reason) => reason !== undefined && reason !== 'None').join(', ')}`,
    );
  }
}

/** Reasons DynamoDB gives per item of a cancelled transaction, in item order. */
const cancellationCodes = (error: unknown): (string | undefined)[] => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
};

const BATCH_CHUNK = 49; // trade + broker-id marker per trade, plus one portfolio check: <= 100 items
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
export const buildTradesStore = (client: DynamoDBDocumentClient, tableName: string) => {
  /** Runs a transaction: undefined when it committed, else DynamoDB's reason per item (other errors thrown). */
  const transact = async (items: TransactItems): Promise<(string | undefined)[] | undefined> => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error: unknown) {
      const codes = cancellationCodes(error);
      if (codes.length === 0) throw error;
      return codes;
    }
  };

  const getPortfolio = async (sub: string, portfolioId: string): Promise<Portfolio | undefined> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) } }),
    );
    return Item === undefined ? undefined : toPortfolio(Item);
  };

  const getTrade = async (sub: string, portfolioId: string, tradeId: string): Promise<Trade | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: portfolioTradesKey(sub, portfolioId), sk: tradeSortKey(tradeId) },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toTrade(Item);
  };

  const tradeItem = (sub: string, trade: Trade) => {
    const pk = portfolioTradesKey(sub, trade.portfolioId);
    return {
      pk,
      sk: tradeSortKey(trade.tradeId),
      gsi1pk: pk,
      gsi1sk: tradeOrderKey(trade),
      entity: 'TRADE',
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
      ConditionExpression: 'attribute_exists(pk)',
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
    const found: Record<string, unknown>[] = [];
    const pk = portfolioTradesKey(sub, portfolioId);
    for (let start = 0; start < sortKeys.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = sortKeys
        .slice(start, start + 100)
        .map((sk) => ({ pk, sk }));
      while (keys !== undefined && keys.length > 0) {
        const result: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: keys, ProjectionExpression: projection } },
          }),
        );
        found.push(...(result.Responses?.[tableName] ?? []));
        keys = result.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
    return found;
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
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected AND #status = :active',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expectedVersion, ':active': 'ACTIVE' },
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

  return {
    getPortfolio,
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
            ConditionExpression: 'attribute_exists(pk)',
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

    /** Deletes the portfolio and all its trades, versions and markers; false when it does not exist. */
    async deletePortfolio(sub: string, portfolioId: string): Promise<boolean> {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
      const pk = portfolioTradesKey(sub, portfolioId);
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: startKey,
            Limit: 25,
          }),
        );
        let pending: Record<string, unknown>[] | undefined = (page.Items ?? []).map((item) => ({
          DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
        }));
        while (pending !== undefined && pending.length > 0) {
          const result: BatchWriteCommandOutput = await client.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
          );
          pending = result.UnprocessedItems?.[tableName];
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return true;
    },

    /** Stores new trades (one transaction per 25); stops at the first chunk that cannot be written. */
    async insertTrades(sub: string, portfolioId: string, trades: Trade[]): Promise<InsertOutcome> {
      for (let start = 0; start < trades.length; start += BATCH_CHUNK) {
        const outcome = await insertChunk(sub, portfolioId, trades.slice(start, start + BATCH_CHUNK));
        if (outcome.kind !== 'OK') return outcome;
      }
      return { kind: 'OK' };
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
