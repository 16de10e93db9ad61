import { FollowHeldEventSchema, logger, mapWithConcurrency } from '@kupala/trade-model';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

/** What an invocation answers (and logs). */
export interface FollowHeldResult {
  symbols: number;
  pairs: number;
}

/** Entries written at once: enough to overlap round trips, few enough to stay off the table's throttle. */
const WRITES_IN_FLIGHT = 8;

/**
 * Invoked asynchronously by the positions service (never over HTTP) with the symbols and FX pairs someone holds:
 * when a portfolio first holds an instrument, and nightly for everything the EOD run valued as held. Each goes on
 * the refresh list for 30 days from now (the same entry a quote request writes; rewriting it only moves its
 * expiry), so the scheduled refresh keeps held instruments priced even when nobody asks for a quote. A malformed
 * event is refused whole (Lambda retries it twice, then drops it: the next night's event covers it).
 */
export const buildHandler =
  (effects: () => MarketDataSideEffects = marketDataSideEffects) =>
  async (event: unknown): Promise<FollowHeldResult> => {
    const parsed = FollowHeldEventSchema.safeParse(event);
    if (!parsed.success) {
      const where = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`,
      );
      throw new Error(`Not a follow event: ${where.slice(0, 5).join('; ')}`);
    }
    const { marketData, now } = effects();
    const at = now();
    const symbols = [...new Set(parsed.data.symbols)];
    const pairs = [
      ...new Map(parsed.data.pairs.map((pair) => [`${pair.base}/${pair.quote}`, pair])).values(),
    ];
    await mapWithConcurrency(symbols, WRITES_IN_FLIGHT, (symbol) => marketData.trackSymbol(symbol, at));
    await mapWithConcurrency(pairs, WRITES_IN_FLIGHT, ({ base, quote }) =>
      marketData.trackPair(base, quote, at),
    );
    const result = { symbols: symbols.length, pairs: pairs.length };
    logger.info('held instruments followed', { ...result });
    return result;
  };

export const main = buildHandler();
