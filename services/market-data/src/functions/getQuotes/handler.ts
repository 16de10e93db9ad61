import {
  getQuotesRoute,
  type HttpRouteOptions,
  httpRoute,
  mapWithConcurrency,
  type Quote,
} from '@kupala/trade-model';
import { type QuoteSources, resolveQuote } from '../../domain/quotes';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getQuotesRoute,
    async ({ user, query }) => {
      const { manualPrices, marketData, providers, now, warn } = effects();
      const at = now();
      const moment = new Date(at);
      const sources: QuoteSources = {
        storedQuote: (symbol) => marketData.feedQuote(symbol, at),
        manualClose: (symbol) => manualPrices.latestClose(user.sub, symbol),
        feedClose: (symbol) => marketData.latestFeedClose(symbol),
        fetchQuote: (symbol) => providers.quote(symbol, moment),
        saveQuote: async (quote) => {
          await marketData.putFeedQuote(quote);
          await marketData.trackSymbol(quote.symbol, at);
        },
        markUnknown: (symbol) => marketData.markUnknownToFeed(symbol, at),
        onProviderFailure: (symbol, error) =>
          warn('no provider answered for a quote', { symbol, error: String(error) }),
      };
      const quotes = await mapWithConcurrency(query.symbols, 8, (symbol) =>
        resolveQuote(symbol, sources, moment),
      );
      return { statusCode: 200, body: quotes.filter((quote): quote is Quote => quote !== undefined) };
    },
    options,
  );

export const main = buildHandler();
