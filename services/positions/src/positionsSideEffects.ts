import { LambdaClient } from '@aws-sdk/client-lambda';
import * as lotEngine from '@kupala/lot-engine';
import { createDocumentClient, getEnvVariable, getOptionalEnvVariable, lazily } from '@kupala/trade-model';
import { buildTradesSource } from './adapters/eod-sources';
import { buildMarketDataFollower } from './adapters/market-data-follower';
import { buildMarketDataReader, type MarketDataReader, rateOn } from './adapters/market-data-reader';
import { buildPortfoliosReader, type PortfoliosReader } from './adapters/portfolios-reader';
import {
  backoff,
  buildPositionsReader,
  buildPositionsStore,
  buildPositionsTableReader,
  type PositionsReader,
  type PositionsReaderTables,
  type PositionsTableReader,
} from './adapters/positions-store';
import { buildViewsMigration, type ViewsMigration } from './adapters/views-migration';
import { catchUpPortfolio, type TradeEventsDeps } from './domain/apply-trade-events';
import type { LotEngine } from './domain/engine';
import type { HeldFollower } from './domain/held-instruments';
import type { RevalueDeps } from './domain/revalue';
import { buildPositionsPublisher } from './sideEffects';

/** The lot engine every positions function computes with (its binding API is the LotEngine port). */
export const engine: LotEngine = lotEngine;

/**
 * market-data's `followHeldSymbols` (its name is fixed per stage, like the tables read across services): locally
 * reached through market-data's serverless-offline Lambda endpoint, in AWS through Lambda itself.
 */
export const marketDataFollower = lazily((): HeldFollower => {
  const endpoint = getOptionalEnvVariable('MARKET_DATA_FOLLOW_ENDPOINT');
  const lambda = new LambdaClient(endpoint === undefined || endpoint === 'aws' ? {} : { endpoint });
  return buildMarketDataFollower(lambda, getEnvVariable('MARKET_DATA_FOLLOW_FUNCTION'));
});

/** What the positions HTTP routes touch; tests pass their own. */
export interface PositionsHttpSideEffects {
  positions: PositionsReader;
  table: PositionsTableReader;
  portfolios: PortfoliosReader;
  marketData: MarketDataReader;
  engine: LotEngine;
  now: () => Date;
}

/** The tables the positions reader reads (configuration of the function that reads them). */
export const positionsReaderTables = (): PositionsReaderTables => ({
  positions: getEnvVariable('POSITIONS_TABLE'),
  trades: getEnvVariable('TRADES_TABLE'),
  marketData: getEnvVariable('MARKET_DATA_TABLE'),
});

/** Production side effects of the HTTP routes, built once per container (three tables, read only). */
export const positionsHttpSideEffects = lazily((): PositionsHttpSideEffects => {
  const client = createDocumentClient();
  const tables = positionsReaderTables();
  return {
    positions: buildPositionsReader(client, tables, engine),
    table: buildPositionsTableReader(client, tables.positions),
    portfolios: buildPortfoliosReader(client, tables.trades),
    marketData: buildMarketDataReader(client, tables.marketData),
    engine,
    now: () => new Date(),
  };
});

/** Production side effects of the Trades stream consumer: writes positions, then tells the live side. */
export const tradeEventsSideEffects = lazily((): TradeEventsDeps => {
  const client = createDocumentClient();
  const tables = positionsReaderTables();
  const marketData = buildMarketDataReader(client, tables.marketData);
  return {
    engine,
    store: buildPositionsStore(client, tables.positions),
    portfolios: buildPortfoliosReader(client, tables.trades),
    rates: marketData,
    rateOn,
    prices: marketData,
    publisher: buildPositionsPublisher(buildPositionsReader(client, tables, engine)),
    follower: marketDataFollower(),
    sleep: backoff,
  };
});

/** Production side effects of the MarketData stream consumer (a catch-up applies trades as the Trades consumer does). */
export const revalueSideEffects = lazily((): RevalueDeps => {
  const client = createDocumentClient();
  const tables = positionsReaderTables();
  const trades = buildTradesSource(client, tables.trades);
  return {
    store: buildPositionsStore(client, tables.positions),
    prices: buildMarketDataReader(client, tables.marketData),
    publisher: buildPositionsPublisher(buildPositionsReader(client, tables, engine)),
    catchUp: async (sub, portfolioId) =>
      catchUpPortfolio(tradeEventsSideEffects(), sub, portfolioId, await trades.tradesOf(sub, portfolioId)),
  };
});

/** Production side effects of the by-hand rebuild of packed views (the positions table only). */
export const migrateViewsSideEffects = lazily((): { migration: ViewsMigration } => ({
  migration: buildViewsMigration(createDocumentClient(), getEnvVariable('POSITIONS_TABLE'), engine),
}));
