import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BatchWriteCommand,
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
  type Portfolio,
  type Trade,
  type TradeType,
} from '@kupala/trade-model';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface PageRequest {
  limit: number;
  cursor: string | undefined;
}
export interface TradeFilter {
  from?: string;
  to?: string;
  symbol?: string;
  type?: TradeType;
}

// Every key starts with the owner's sub: another user's ids simply address nothing.
const userKey = (sub: string) => `USER#${sub}`;
const portfolioSortKey = (portfolioId: string) => `PORTFOLIO#${portfolioId}`;
const portfolioTradesKey = (sub: string, portfolioId: string) => `USER#${sub}#PORTFOLIO#${portfolioId}`;
const tradeSortKey = (tradeId: string) => `TRADE#${tradeId}`;
const tradeOrderKey = (trade: Pick<Trade, 'tradeDate' | 'tradeId'>) => `${trade.tradeDate}#${trade.tradeId}`;

const PORTFOLIO_FIELDS = [
  'portfolioId',
  'name',
  'baseCurrency',
  'lotMethod',
  'commissionSchedule',
  'createdAt',
  'updatedAt',
] as const;
const TRADE_FIELDS = [
  'tradeId',
  'portfolioId',
  'type',
  'instrument',
  'instrumentKey',
  'quantity',
  'price',
  'amount',
  'ratio',
  'currency',
  'fees',
  'tradeDate',
  'settleDate',
  'fxRate',
  'externalId',
  'note',
  'status',
  'version',
  'createdAt',
  'updatedAt',
] as const;

const pick = <T>(item: Record<string, unknown>, fields: readonly string[]): T =>
  Object.fromEntries(
    fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as T;

const toPortfolio = (item: Record<string, unknown>) => pick<Portfolio>(item, PORTFOLIO_FIELDS);
const toTrade = (item: Record<string, unknown>) => pick<Trade>(item, TRADE_FIELDS);

/** DynamoDB access for portfolios and trades (one table, owner-first keys, stream for positions). */
export const buildTradesStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const getPortfolio = async (sub: string, portfolioId: string): Promise<Portfolio | undefined> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) } }),
    );
    return Item === undefined ? undefined : toPortfolio(Item);
  };

  return {
    getPortfolio,

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
          ExclusiveStartKey: decodeCursor(page.cursor, partition),
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
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: userKey(sub), sk: portfolioSortKey(portfolioId) },
            UpdateExpression: [
              sets.length > 0 ? `SET ${sets.join(', ')}` : '',
              removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
            ]
              .join(' ')
              .trim(),
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

    /** Deletes the portfolio and all its trades; false when it does not exist. */
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
        const keys = (page.Items ?? []).map((item) => ({
          DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
        }));
        let pending: typeof keys | undefined = keys;
        while (pending !== undefined && pending.length > 0) {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = result.UnprocessedItems?.[tableName] as typeof keys | undefined;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return true;
    },

    /** Stores a new trade if its portfolio exists; false when it does not. */
    async insertTrade(sub: string, trade: Trade): Promise<boolean> {
      const pk = portfolioTradesKey(sub, trade.portfolioId);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: { pk: userKey(sub), sk: portfolioSortKey(trade.portfolioId) },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk,
                    sk: tradeSortKey(trade.tradeId),
                    gsi1pk: pk,
                    gsi1sk: tradeOrderKey(trade),
                    entity: 'TRADE',
                    ownerSub: sub,
                    symbol: trade.instrument?.symbol,
                    ...trade,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
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
          ExclusiveStartKey: decodeCursor(page.cursor, { gsi1pk: pk, pk }),
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
