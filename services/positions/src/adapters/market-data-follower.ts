import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  asyncInvoker,
  type FollowHeldEvent,
  logger,
  MAX_FOLLOWED_PAIRS,
  MAX_FOLLOWED_SYMBOLS,
} from '@kupala/trade-model';
import type { HeldFollower, HeldInstruments } from '../domain/held-instruments';

/** Splits what is held into events of at most MAX_FOLLOWED_SYMBOLS symbols and MAX_FOLLOWED_PAIRS pairs. */
export const followEvents = (held: HeldInstruments): FollowHeldEvent[] => {
  const events: FollowHeldEvent[] = [];
  const count = Math.max(
    Math.ceil(held.symbols.length / MAX_FOLLOWED_SYMBOLS),
    Math.ceil(held.pairs.length / MAX_FOLLOWED_PAIRS),
  );
  for (let index = 0; index < count; index += 1) {
    events.push({
      symbols: held.symbols.slice(index * MAX_FOLLOWED_SYMBOLS, (index + 1) * MAX_FOLLOWED_SYMBOLS),
      pairs: held.pairs.slice(index * MAX_FOLLOWED_PAIRS, (index + 1) * MAX_FOLLOWED_PAIRS),
    });
  }
  return events;
};

/**
 * market-data's `followHeldSymbols`, invoked asynchronously (InvocationType Event: Lambda queues the event and
 * retries it; the SDK retries the Invoke call itself with capped back-off). Never rejects: a failed hand-off is
 * logged, and the nightly EOD run names the instruments again.
 */
export const buildMarketDataFollower = (lambda: LambdaClient, functionName: string): HeldFollower => {
  const invoker = asyncInvoker<FollowHeldEvent>(lambda, functionName);
  return {
    async follow(held) {
      for (const event of followEvents(held)) {
        try {
          await invoker.dispatch(event);
        } catch (error: unknown) {
          logger.warn('market-data was not told of held instruments', {
            symbols: event.symbols.length,
            pairs: event.pairs.length,
            error: String(error),
          });
        }
      }
    },
  };
};
