import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type LotMethod } from '@kupala/trade-model';

/** What the engine needs of a portfolio: its base currency and lot method (owned by the trades service). */
export interface PortfolioSettings {
  baseCurrency: string;
  lotMethod: LotMethod;
}

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
   * Settings of many live portfolios (BatchGetItem, 100 keys a call), keyed by `<sub>#<portfolioId>`; a
   * portfolio that does not exist or is deleted is absent.
   */
  async getManyPortfolioSettings(
    portfolios: readonly { sub: string; portfolioId: string }[],
  ): Promise<Map<string, PortfolioSettings>> {
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
      items
        .filter((item) => item.deletedAt === undefined)
        .map((item) => [
          `${String(item.pk).slice('USER#'.length)}#${String(item.sk).slice('PORTFOLIO#'.length)}`,
          settingsOf(item),
        ]),
    );
  },
});

export type PortfoliosReader = ReturnType<typeof buildPortfoliosReader>;
