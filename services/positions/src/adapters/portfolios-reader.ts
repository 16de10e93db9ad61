import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LotMethod } from '@kupala/trade-model';

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
export const buildPortfoliosReader = (client: DynamoDBDocumentClient, tradesTableName: string) => ({
  async getPortfolioSettings(sub: string, portfolioId: string): Promise<PortfolioSettings | undefined> {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tradesTableName,
        Key: { pk: `USER#${sub}`, sk: `PORTFOLIO#${portfolioId}` },
        ProjectionExpression: 'baseCurrency, lotMethod',
      }),
    );
    if (Item === undefined) return undefined;
    return { baseCurrency: String(Item.baseCurrency), lotMethod: (Item.lotMethod ?? 'FIFO') as LotMethod };
  },
});

export type PortfoliosReader = ReturnType<typeof buildPortfoliosReader>;
