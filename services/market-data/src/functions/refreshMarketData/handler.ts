import { logger } from '@kupala/trade-model';
import { type RefreshSummary, refreshMarketData } from '../../domain/refresh';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

/**
 * The scheduled refresh (EventBridge every 15 minutes; locally serverless-offline's timer, or at once with
 * `pnpm run market-data:refresh`): quotes,
 * daily closes and FX rates of everything tracked, written to the MarketData table whose stream revalues
 * positions.
 */
export const buildHandler =
  (effects: () => MarketDataSideEffects = marketDataSideEffects) =>
  async (): Promise<RefreshSummary> => {
    const { marketData, providers, now } = effects();
    const at = now();
    const moment = new Date(at);
    const summary = await refreshMarketData(
      {
        trackedSymbols: () => marketData.trackedSymbols(at),
        trackedPairs: () => marketData.trackedPairs(at),
        fetchQuote: (symbol) => providers.quote(symbol, moment),
        fetchCloses: (symbol, range) => providers.dailyCloses(symbol, range),
        latestCloseDate: (symbol) => marketData.latestFeedCloseDate(symbol),
        latestRateDate: (base, quote) => marketData.latestFeedFxDate(base, quote),
        saveQuote: (quote) => marketData.putFeedQuote(quote),
        saveCloses: (symbol, currency, source, closes) =>
          marketData.putFeedCloses(symbol, currency, source, closes),
        saveRates: (base, quote, source, rates) => marketData.putFeedFxRates(base, quote, source, rates),
        untrackSymbol: (symbol) => marketData.untrackSymbol(symbol),
        onFailure: (subject, error) =>
          logger.warn('refresh failed for one subject', { subject, error: String(error) }),
      },
      moment,
    );
    logger.info('market data refreshed', { ...summary });
    return summary;
  };

export const main = buildHandler();
