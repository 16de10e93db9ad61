import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type LotMethod } from '@kupala/trade-model';

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
