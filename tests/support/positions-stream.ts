import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@kupala/trade-model';
import { main as followHeldSymbols } from '../../services/market-data/src/functions/followHeldSymbols/handler';
import { buildTradesSource } from '../../services/positions/src/adapters/eod-sources';
import { followEvents } from '../../services/positions/src/adapters/market-data-follower';
import { buildMarketDataReader, rateOn } from '../../services/positions/src/adapters/market-data-reader';
import { buildPortfoliosReader } from '../../services/positions/src/adapters/portfolios-reader';
import { buildPositionsStore } from '../../services/positions/src/adapters/positions-store';
import {
  catchUpPortfolio,
  type TradeEventsDeps,
} from '../../services/positions/src/domain/apply-trade-events';
import { buildHandler as buildTradeEventsHandler } from '../../services/positions/src/functions/applyTradeEvents/handler';
import { buildHandler as buildRevalueHandler } from '../../services/positions/src/functions/revaluePositions/handler';
import { engine } from '../../services/positions/src/positionsSideEffects';
import { streamEvent, streamRecord } from '../../services/positions/src/testing/stream-events';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/** The `sub` claim of an access token (to address the owner's items the way the handlers do). */
export const subOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).sub as string;

/**
 * The positions stream consumers as the integration tests drive them: the Trades-table item of a trade is
 * read and delivered as the stream record DynamoDB would emit (with the previous image this helper saw),
 * what a first holding hands to market-data reaches its real `followHeldSymbols` handler (in-process),
 * and the positions changes each consumer publishes are recorded instead of pushed to WebSockets.
 */
export const positionsConsumers = () => {
  const client = createDocumentClient();
  const published: string[] = [];
  const marketData = buildMarketDataReader(client, env('MARKET_DATA_TABLE'));
  const store = buildPositionsStore(client, env('POSITIONS_TABLE'));
  const publisher = {
    positionsChanged: async (_sub: string, portfolioId: string) => void published.push(portfolioId),
  };
  const deps: TradeEventsDeps = {
    engine,
    store,
    portfolios: buildPortfoliosReader(client, env('TRADES_TABLE')),
    rates: marketData,
    rateOn,
    prices: marketData,
    publisher,
    // market-data's function in-process, with the events the Lambda invocation would carry
    follower: {
      follow: async (held) => {
        for (const event of followEvents(held)) await followHeldSymbols(event);
      },
    },
    sleep: async () => undefined,
  };
  const consumeTrades = buildTradeEventsHandler(() => deps);
  const trades = buildTradesSource(client, env('TRADES_TABLE'));
  const consumePrices = buildRevalueHandler(() => ({
    store,
    prices: marketData,
    publisher,
    catchUp: async (sub, portfolioId) =>
      catchUpPortfolio(deps, sub, portfolioId, await trades.tradesOf(sub, portfolioId)),
  }));
  const seen = new Map<string, Record<string, unknown>>();
  return {
    client,
    store,
    published,
    consumeTrades,
    consumePrices,
    /** The last image delivered of a trade. */
    lastImage: (tradeId: string) => seen.get(tradeId),
    /** Delivers the trade's current item as a stream record; answers the consumer's batchItemFailures. */
    async deliverTrade(sub: string, portfolioId: string, tradeId: string) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: env('TRADES_TABLE'),
          Key: { pk: `USER#${sub}#PORTFOLIO#${portfolioId}`, sk: `TRADE#${tradeId}` },
        }),
      );
      const record = streamRecord(Item, seen.get(tradeId));
      if (Item !== undefined) seen.set(tradeId, Item);
      return (await consumeTrades(streamEvent([record]))).batchItemFailures;
    },
  };
};
