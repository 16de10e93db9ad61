import * as lotEngine from '@kupala/lot-engine';
import { createDocumentClient, getEnvVariable, lazily } from '@kupala/trade-model';
import { buildMarketDataReader, type MarketDataReader } from './adapters/market-data-reader';
import { buildPortfoliosReader, type PortfoliosReader } from './adapters/portfolios-reader';
import {
  buildPositionsReader,
  buildPositionsTableReader,
  type PositionsReader,
  type PositionsTableReader,
} from './adapters/positions-store';
import type { LotEngine } from './domain/engine';

/** The lot engine every positions function computes with (its binding API is the LotEngine port). */
export const engine: LotEngine = lotEngine;

/** What the positions HTTP routes touch; tests pass their own. */
export interface PositionsHttpSideEffects {
  positions: PositionsReader;
  table: PositionsTableReader;
  portfolios: PortfoliosReader;
  marketData: MarketDataReader;
  engine: LotEngine;
  now: () => Date;
}

/** Production side effects of the HTTP routes, built once per container (three tables, read only). */
export const positionsHttpSideEffects = lazily((): PositionsHttpSideEffects => {
  const client = createDocumentClient();
  const tables = {
    positions: getEnvVariable('POSITIONS_TABLE'),
    trades: getEnvVariable('TRADES_TABLE'),
    marketData: getEnvVariable('MARKET_DATA_TABLE'),
  };
  return {
    positions: buildPositionsReader(client, tables, engine),
    table: buildPositionsTableReader(client, tables.positions),
    portfolios: buildPortfoliosReader(client, tables.trades),
    marketData: buildMarketDataReader(client, tables.marketData),
    engine,
    now: () => new Date(),
  };
});
