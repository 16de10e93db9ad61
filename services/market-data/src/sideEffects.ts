import { createDocumentClient, getEnvVariable, lazily, logger } from '@kupala/trade-model';
import { buildManualPricesStore, type ManualPricesStore } from './adapters/manual-prices-store';
import { buildMarketDataStore, type MarketDataStore } from './adapters/market-data-store';
import { buildYahooProvider } from './adapters/yahoo-provider';
import { buildProviderChain, type ProviderChain } from './domain/provider-chain';
import type { PriceProvider } from './domain/providers';
import { buildSimulatedProvider } from './domain/simulated-provider';

/** Everything a market-data handler touches outside itself; tests pass their own. */
export interface MarketDataSideEffects {
  manualPrices: ManualPricesStore;
  marketData: MarketDataStore;
  /** The providers named by MARKET_DATA_PROVIDERS, in that order. */
  providers: ProviderChain;
  now: () => string;
  warn: (message: string, details: Record<string, unknown>) => void;
}

const PROVIDERS: Record<string, () => PriceProvider> = {
  yahoo: () => buildYahooProvider({ logger: { warn: (line) => logger.warn('yahoo-finance2', { line }) } }),
  simulated: buildSimulatedProvider,
};

export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';
}

/** `yahoo,simulated` → the chain of those providers; an unknown name fails the cold start. */
export const providersFromConfig = (names: string): PriceProvider[] =>
  names.split(',').map((name) => {
    const build = PROVIDERS[name.trim()];
    if (build === undefined)
      throw new UnknownProviderError(
        `MARKET_DATA_PROVIDERS names "${name}"; known: ${Object.keys(PROVIDERS).join(', ')}`,
      );
    return build();
  });

/**
 * Production side effects, built once per container and each part on first use, so a function needs only
 * the variables (and permissions) of what it touches.
 */
export const marketDataSideEffects = lazily((): MarketDataSideEffects => {
  const client = lazily(createDocumentClient);
  const manualPrices = lazily(() => buildManualPricesStore(client(), getEnvVariable('MARKET_DATA_TABLE')));
  const marketData = lazily(() => buildMarketDataStore(client(), getEnvVariable('MARKET_DATA_TABLE')));
  const providers = lazily(() =>
    buildProviderChain(providersFromConfig(getEnvVariable('MARKET_DATA_PROVIDERS'))),
  );
  return {
    get manualPrices() {
      return manualPrices();
    },
    get marketData() {
      return marketData();
    },
    get providers() {
      return providers();
    },
    now: () => new Date().toISOString(),
    warn: (message, details) => logger.warn(message, details),
  };
});
