import { createDocumentClient, getEnvVariable } from '@kupala/trade-model';
import { buildManualPricesStore } from '../adapters/manual-prices-store';
import { buildMarketDataStore } from '../adapters/market-data-store';
import { buildProviderChain } from '../domain/provider-chain';
import type { PriceProvider } from '../domain/providers';
import type { MarketDataSideEffects } from '../sideEffects';

/**
 * The real stores against the table the integration setup created (DynamoDB Local), with the given
 * providers, a frozen clock and no backoff delay: fault injection happens in the providers.
 */
export const localEffects = (providers: PriceProvider[], now: string) => {
  const table = getEnvVariable('MARKET_DATA_TABLE');
  const warnings: string[] = [];
  const effects: MarketDataSideEffects = {
    manualPrices: buildManualPricesStore(createDocumentClient(), table),
    marketData: buildMarketDataStore(createDocumentClient(), table),
    providers: buildProviderChain(providers, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }),
    now: () => now,
    warn: (message, details) => void warnings.push(`${message} ${JSON.stringify(details)}`),
  };
  return { effects: () => effects, warnings, store: effects.marketData };
};

/** A five-letter ticker unique to this run (the simulated market knows letters-only tickers). */
export const runTicker = (salt: string): string => {
  const value = Date.now() + salt.split('').reduce((sum, character) => sum * 31 + character.charCodeAt(0), 0);
  return Array.from({ length: 5 }, (_, index) =>
    String.fromCharCode(65 + (Math.floor(value / 26 ** index) % 26)),
  ).join('');
};
