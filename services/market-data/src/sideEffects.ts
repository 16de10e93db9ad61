import { createDocumentClient, getEnvVariable, lazily } from '@kupala/trade-model';
import { buildManualPricesStore, type ManualPricesStore } from './adapters/manual-prices-store';

/** Everything a market-data handler touches outside itself; tests pass their own. */
export interface MarketDataSideEffects {
  manualPrices: ManualPricesStore;
  now: () => string;
}

/** Production side effects, built once per container (configuration read at cold start). */
export const marketDataSideEffects = lazily(
  (): MarketDataSideEffects => ({
    manualPrices: buildManualPricesStore(createDocumentClient(), getEnvVariable('MARKET_DATA_TABLE')),
    now: () => new Date().toISOString(),
  }),
);
