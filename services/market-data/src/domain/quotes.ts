import { latestPriceOf, type Quote } from '@kupala/trade-model';
import { closeTime, isStale, marketOf } from './market-hours';
import { isNotFoundFailure, type ProviderQuote } from './providers';

type SourcedQuote = ProviderQuote & { source: string };

/** What resolving quotes reads and writes, injected (the handler passes the adapters). */
export interface QuoteSources {
  storedQuote: (symbol: string) => Promise<{ quote?: SourcedQuote; unknownToFeed: boolean }>;
  manualClose: (symbol: string) => Promise<{ date: string; close: string; currency: string } | undefined>;
  /** The feed's latest stored daily close. */
  feedClose: (
    symbol: string,
  ) => Promise<{ date: string; close: string; currency: string; source: string } | undefined>;
  /** Asks the providers in order (retries, fallback). */
  fetchQuote: (symbol: string) => Promise<SourcedQuote>;
  /** Stores a fetched quote and keeps the symbol on the refresh list. */
  saveQuote: (quote: SourcedQuote) => Promise<void>;
  /** A symbol no provider knows: not asked again for a day. */
  markUnknown: (symbol: string) => Promise<void>;
  onProviderFailure: (symbol: string, error: unknown) => void;
}

/**
 * The latest price of one symbol for one user: the stored feed quote, refreshed from the providers when
 * missing or stale, the feed's latest close and the user's latest manual close, ranked by `latestPriceOf`
 * (the rule the positions valuation uses too): the most recent date wins, the manual close on the same date.
 * Undefined when neither the feed nor the user knows the symbol.
 */
export const resolveQuote = async (
  symbol: string,
  sources: QuoteSources,
  now: Date,
): Promise<Quote | undefined> => {
  const [stored, manual, feedClose] = await Promise.all([
    sources.storedQuote(symbol),
    sources.manualClose(symbol),
    sources.feedClose(symbol),
  ]);
  let feedQuote = stored.quote;
  const needsFeed =
    feedQuote === undefined
      ? !stored.unknownToFeed
      : isStale(feedQuote.time, marketOf(symbol, feedQuote.currency), now);
  if (needsFeed) {
    try {
      feedQuote = await sources.fetchQuote(symbol);
      await sources.saveQuote(feedQuote);
    } catch (error: unknown) {
      // the stored quote (if any) still answers, flagged stale; a symbol no provider knows is remembered
      if (isNotFoundFailure(error) && feedQuote === undefined) await sources.markUnknown(symbol);
      else sources.onProviderFailure(symbol, error);
    }
  }
  const latest = latestPriceOf({
    ...(manual === undefined
      ? {}
      : {
          manualClose: {
            price: manual.close,
            currency: manual.currency,
            asOf: manual.date,
            source: 'manual',
          },
        }),
    ...(feedClose === undefined
      ? {}
      : {
          feedClose: {
            price: feedClose.close,
            currency: feedClose.currency,
            asOf: feedClose.date,
            source: feedClose.source,
          },
        }),
    ...(feedQuote === undefined
      ? {}
      : {
          feedQuote: {
            price: feedQuote.price,
            currency: feedQuote.currency,
            asOf: feedQuote.time,
            source: feedQuote.source,
          },
        }),
  });
  if (latest === undefined) return undefined;
  const market = marketOf(symbol, latest.currency);
  const time = latest.asOf.length === 10 ? closeTime(latest.asOf, market) : latest.asOf;
  return {
    symbol,
    price: latest.price,
    currency: latest.currency,
    time,
    source: latest.source,
    stale: isStale(time, market, now),
  };
};
