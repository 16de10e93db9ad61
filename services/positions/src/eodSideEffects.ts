import { LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, getEnvVariable, getOptionalEnvVariable, lazily } from '@kupala/trade-model';
import { buildTradesSource, feedClosesMemo, loadEodMarkets } from './adapters/eod-sources';
import { buildEodStore, type EodStore } from './adapters/eod-store';
import { buildEodWorker, type EodBatchWorker, type EodWorker } from './adapters/eod-worker';
import { buildMarketDataReader, type MarketDataReader } from './adapters/market-data-reader';
import {
  buildPortfolioScanner,
  buildPortfoliosReader,
  type PortfolioScanner,
  type PortfoliosReader,
} from './adapters/portfolios-reader';
import { buildPositionsReader, type PositionsReader } from './adapters/positions-store';
import type { EodBuildDeps, PortfolioRef } from './domain/eod-run';
import { engine, marketDataFollower, positionsReaderTables } from './positionsSideEffects';

/** What the EOD HTTP routes touch; tests pass their own. */
export interface EodHttpSideEffects {
  portfolios: PortfoliosReader;
  eod: EodStore;
  worker: EodWorker;
  now: () => Date;
}

/** What the nightly run touches. */
export interface EodScheduleSideEffects {
  /** The portfolios with trades (the EOD table's list, kept by the Trades stream consumer). */
  portfolios: { portfolios(): AsyncIterable<PortfolioRef> };
  worker: EodBatchWorker;
  now: () => Date;
}

/** What the re-snapshot of a changed trade's days touches. */
export interface EodResnapshotSideEffects {
  build: EodBuildDeps;
  /** Puts portfolios on the nightly run's list. */
  register(portfolios: readonly PortfolioRef[]): Promise<void>;
  lastDay(sub: string, portfolioId: string): Promise<string | undefined>;
}

const eodStore = () => buildEodStore(createDocumentClient(), getEnvVariable('EOD_TABLE'));

const eodWorker = () => {
  // Locally the worker is reached through serverless-offline's Lambda endpoint; in AWS through Lambda itself.
  const endpoint = getOptionalEnvVariable('EOD_WORKER_ENDPOINT');
  const lambda = new LambdaClient(endpoint === undefined || endpoint === 'aws' ? {} : { endpoint });
  return buildEodWorker(lambda, getEnvVariable('EOD_WORKER_FUNCTION'));
};

/** The production adapters of an EOD build on `client` (the bench passes one that counts its requests). */
export const eodBuildDeps = (client: DynamoDBDocumentClient = createDocumentClient()): EodBuildDeps => {
  const marketDataTable = getEnvVariable('MARKET_DATA_TABLE');
  const rates = buildMarketDataReader(client, marketDataTable);
  const trades = buildTradesSource(client, getEnvVariable('TRADES_TABLE'));
  const portfolios = buildPortfoliosReader(client, getEnvVariable('TRADES_TABLE'));
  const store = buildEodStore(client, getEnvVariable('EOD_TABLE'));
  const feedCache = feedClosesMemo();
  return {
    engine,
    statesOf: portfolios.getManyPortfolioStates,
    tradesOf: trades.tradesOf,
    markets: (requests) => loadEodMarkets(client, marketDataTable, rates, requests, feedCache),
    putSnapshots: store.putManySnapshots,
  };
};
const buildDeps = () => eodBuildDeps();

export const eodHttpSideEffects = lazily(
  (): EodHttpSideEffects => ({
    portfolios: buildPortfoliosReader(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
    eod: eodStore(),
    // the worker client is built on first dispatch: read routes need no Lambda configuration
    worker: { dispatch: (job) => lazyWorker().dispatch(job) },
    now: () => new Date(),
  }),
);
const lazyWorker = lazily(eodWorker);

/** The worker's: what a batch holds on its last day goes to market-data's refresh list (nightly). */
export const eodBuildSideEffects = lazily(
  (): EodBuildDeps => ({ ...buildDeps(), follower: marketDataFollower() }),
);

export const eodScheduleSideEffects = lazily(
  (): EodScheduleSideEffects => ({
    portfolios: { portfolios: eodStore().registeredPortfolios },
    worker: eodWorker(),
    now: () => new Date(),
  }),
);

export const eodResnapshotSideEffects = lazily((): EodResnapshotSideEffects => {
  const store = eodStore();
  return {
    build: buildDeps(),
    register: store.registerPortfolios,
    lastDay: async (sub, portfolioId) =>
      (await store.lastDayOnOrBefore(sub, portfolioId, '9999-12-31'))?.date,
  };
});

/** What the one-off backfill of the nightly list touches. */
export interface EodBackfillSideEffects {
  scan: PortfolioScanner;
  register(portfolios: readonly PortfolioRef[]): Promise<void>;
}

export const eodBackfillSideEffects = lazily(
  (): EodBackfillSideEffects => ({
    scan: buildPortfolioScanner(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
    register: eodStore().registerPortfolios,
  }),
);

/** What the targets, rebalance and reconcile routes touch. */
export interface AnalyticsSideEffects {
  portfolios: PortfoliosReader;
  positions: PositionsReader;
  marketData: MarketDataReader;
  eod: EodStore;
  now: () => Date;
}

export const analyticsSideEffects = lazily((): AnalyticsSideEffects => {
  const client = createDocumentClient();
  const tables = positionsReaderTables();
  return {
    portfolios: buildPortfoliosReader(client, tables.trades),
    positions: buildPositionsReader(client, tables, engine),
    marketData: buildMarketDataReader(client, tables.marketData),
    eod: eodStore(),
    now: () => new Date(),
  };
});
