import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import {
  canonicalDecimal,
  dateSortKey,
  feedPricePartitionKey,
  manualPricePartitionKey,
  priceCloseItem,
  QUOTE_SORT_KEY,
} from '@kupala/trade-model';
import { streamEvent, streamRecord } from '../../services/positions/src/testing/stream-events';
import { compiledRouteCaller } from '../support/compiled-handlers';
import { positionsConsumers, subOf } from '../support/positions-stream';

// One price rule per user (api.md: the latest date is the current price; a manual price wins over a feed's for
// the same date): GET /quotes (market-data) and the positions valuation (positions) must show the same price.
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('GET /quotes and the positions valuation agree on a user’s price', () => {
  const { call } = compiledRouteCaller();
  const consumers = positionsConsumers();
  const { client } = consumers;
  const symbol = `QAG${Date.now().toString(36).toUpperCase().slice(-5)}`;
  let token: string;
  let portfolioId: string;

  const marketItem = async (pk: string, sk: string) =>
    (await client.send(new GetCommand({ TableName: env('MARKET_DATA_TABLE'), Key: { pk, sk } }))).Item;

  /** What the MarketData stream delivers to the positions consumer for these stored items. */
  const deliverPrices = async (items: (Record<string, unknown> | undefined)[]) => {
    const present = items.filter((item): item is Record<string, unknown> => item !== undefined);
    const result = await consumers.consumePrices(
      streamEvent(present.map((item) => streamRecord(item, undefined))),
    );
    expect(result.batchItemFailures).toEqual([]);
  };

  const prices = async () => {
    const quotes = await call('GET /quotes', token, { query: { symbols: symbol } });
    expect(quotes.status).toBe(200);
    const positions = await call('GET /portfolios/{portfolioId}/positions', token, {
      params: { portfolioId },
    });
    expect(positions.status).toBe(200);
    const quote = (quotes.body as { price: string }[])[0];
    const position = (positions.body as { positions: { lastPrice: string | null }[] }).positions[0];
    return {
      quote: canonicalDecimal(quote?.price ?? '0'),
      position: canonicalDecimal(position?.lastPrice ?? '0'),
    };
  };

  beforeAll(async () => {
    token = await tokenFor(`quotes-agree-${Date.now()}`);
    const portfolio = await call('POST /portfolios', token, { body: { name: 'Agree', baseCurrency: 'USD' } });
    portfolioId = (portfolio.body as { portfolioId: string }).portfolioId;
    const trade = await call('POST /portfolios/{portfolioId}/trades', token, {
      params: { portfolioId },
      body: {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol, currency: 'USD' },
        quantity: '2',
        price: '10',
        currency: 'USD',
        tradeDate: day(-3),
      },
    });
    expect(
      await consumers.deliverTrade(subOf(token), portfolioId, (trade.body as { tradeId: string }).tradeId),
    ).toEqual([]);
  }, 120_000);

  it("today's manual close wins over the feed's quote of today, in both", async () => {
    const put = await call('PUT /instruments/{symbol}/prices', token, {
      params: { symbol },
      body: {
        currency: 'USD',
        prices: [
          { date: day(-1), close: '11.5' },
          { date: day(0), close: '12.25' },
        ],
      },
    });
    expect(put.status).toBeLessThan(300);
    // GET /quotes asks the (simulated) feed for a quote of now and stores it: the stream carries it too
    const first = await call('GET /quotes', token, { query: { symbols: symbol } });
    expect(first.status).toBe(200);
    const sub = subOf(token);
    await deliverPrices([
      await marketItem(manualPricePartitionKey(sub, symbol), dateSortKey(day(0))),
      await marketItem(feedPricePartitionKey(symbol), QUOTE_SORT_KEY),
    ]);

    expect(await prices()).toEqual({ quote: '12.25', position: '12.25' });
  });

  it('a feed close of a later date than the manual close is the current price, in both', async () => {
    const close = priceCloseItem({
      scope: { kind: 'feed' },
      symbol,
      date: day(1),
      close: '13.75',
      currency: 'USD',
      source: 'simulated',
    });
    await client.send(new PutCommand({ TableName: env('MARKET_DATA_TABLE'), Item: close }));
    await deliverPrices([close]);

    expect(await prices()).toEqual({ quote: '13.75', position: '13.75' });
  });
});
