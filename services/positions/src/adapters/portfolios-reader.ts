import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type DynamoKey, type LotMethod } from '@kupala/trade-model';

/** What the engine needs of a portfolio: its base currency and lot method (owned by the trades service). */
export interface PortfolioSettings {
  baseCurrency: string;
  lotMethod: LotMethod;
}

/** A portfolio as its PORTFOLIO item says: live with its settings, or marked deleted. */
export type PortfolioState = { status: 'LIVE'; settings: PortfolioSettings } | { status: 'DELETED' };

/**
 * Reads a portfolio's settings from the Trades table's PORTFOLIO item (read-only: GetItem on that table).
 * Reading instead of carrying a copy keeps one source of truth for ownership and settings; undefined means
 * the portfolio does not exist or is another user's (its key starts with the owner's sub).
 */
const keyOf = (sub: string, portfolioId: string) => ({ pk: `USER#${sub}`, sk: `PORTFOLIO#${portfolioId}` });
const settingsOf = (item: Record<string, unknown>): PortfolioSettings => ({
  baseCurrency: String(item.baseCurrency),
  lotMethod: (item.lotMethod ?? 'FIFO') as LotMethod,
});

export const buildPortfoliosReader = (client: DynamoDBDocumentClient, tradesTableName: string) => ({
  async getPortfolioSettings(sub: string, portfolioId: string): Promise<PortfolioSettings | undefined> {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tradesTableName,
        Key: keyOf(sub, portfolioId),
        ProjectionExpression: 'baseCurrency, lotMethod',
      }),
    );
    return Item === undefined ? undefined : settingsOf(Item);
  },

  /**
   * What the Trades table says of many portfolios (BatchGetItem, 100 keys a call, unprocessed keys retried),
   * keyed by `<sub>#<portfolioId>`: LIVE with its settings, or DELETED (marked deleted, being purged). A
   * portfolio without a PORTFOLIO item (purged, or never created) is absent: the caller decides what that means.
   */
  async getManyPortfolioStates(
    portfolios: readonly { sub: string; portfolioId: string }[],
  ): Promise<Map<string, PortfolioState>> {
    const keys = new Map(
      portfolios.map(({ sub, portfolioId }) => [`${sub}#${portfolioId}`, keyOf(sub, portfolioId)]),
    );
    const items = await batchGetAll(
      client,
      tradesTableName,
      [...keys.values()],
      'pk, sk, baseCurrency, lotMethod, deletedAt',
    );
    return new Map(
      items.map((item): [string, PortfolioState] => [
        `${String(item.pk).slice('USER#'.length)}#${String(item.sk).slice('PORTFOLIO#'.length)}`,
        item.deletedAt === undefined ? { status: 'LIVE', settings: settingsOf(item) } : { status: 'DELETED' },
      ]),
    );
  },
});

export type PortfoliosReader = ReturnType<typeof buildPortfoliosReader>;

/**
 * One page of the Trades table's live portfolios (a Scan of `limit` items from `startKey`, PORTFOLIO items not
 * marked deleted kept), for the one-off backfill of the EOD run's list; `next` is undefined at the table's end.
 */
export const buildPortfolioScanner =
  (client: DynamoDBDocumentClient, tradesTableName: string) =>
  async (
    startKey: DynamoKey | undefined,
    limit: number,
  ): Promise<{ portfolios: { sub: string; portfolioId: string }[]; next: DynamoKey | undefined }> => {
    const page = await client.send(
      new ScanCommand({
        TableName: tradesTableName,
        Limit: limit,
        ExclusiveStartKey: startKey,
        FilterExpression: 'entity = :portfolio AND attribute_not_exists(deletedAt) AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':portfolio': 'PORTFOLIO', ':sk': 'PORTFOLIO#' },
        ProjectionExpression: 'pk, sk',
      }),
    );
    return {
      portfolios: (page.Items ?? []).map((item) => ({
        sub: String(item.pk).slice('USER#'.length),
        portfolioId: String(item.sk).slice('PORTFOLIO#'.length),
      })),
      next: page.LastEvaluatedKey as DynamoKey | undefined,
    };
  };

export type PortfolioScanner = ReturnType<typeof buildPortfolioScanner>;
