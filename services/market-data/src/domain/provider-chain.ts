import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  type DateRange,
  type PriceProvider,
  ProviderError,
  type ProviderFailureKind,
  type ProviderHistory,
  type ProviderQuote,
} from './providers';

export interface RetryPolicy {
  /** Calls per provider before falling back to the next one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** What the chain needs besides its providers; tests pass a recording sleep and a fixed random. */
export interface ChainClock {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}
const realClock: ChainClock = { sleep: (ms) => sleepFor(ms).then(() => undefined), random: Math.random };

/** Every provider failed for a symbol; `kind` is NOT_FOUND only when every provider said so. */
export class NoProviderAnsweredError extends Error {
  override readonly name = 'NoProviderAnsweredError';
  readonly kind: ProviderFailureKind;
  constructor(
    readonly symbol: string,
    readonly failures: ProviderError[],
  ) {
    super(`No provider answered for ${symbol}: ${failures.map((failure) => failure.message).join('; ')}`);
    this.kind = failures.every((failure) => failure.kind === 'NOT_FOUND') ? 'NOT_FOUND' : 'UNAVAILABLE';
  }
}

const asProviderError = (source: string, error: unknown): ProviderError =>
  error instanceof ProviderError
    ? error
    : new ProviderError(source, 'UNAVAILABLE', error instanceof Error ? error.message : String(error), {
        cause: error,
      });

/**
 * Providers tried in order. A rate limit or an outage is retried on the same provider with capped
 * exponential backoff and full jitter (delay = random × min(max, base × 2^(attempt−1))), at most
 * `maxAttempts` calls; then, or at once for an unknown symbol, the next provider is asked. What answers
 * carries that provider's `source`.
 */
export const buildProviderChain = (
  providers: readonly PriceProvider[],
  policy: RetryPolicy = DEFAULT_RETRY,
  clock: ChainClock = realClock,
) => {
  const attempt = async <T>(symbol: string, call: (provider: PriceProvider) => Promise<T>) => {
    const failures: ProviderError[] = [];
    for (const provider of providers) {
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        try {
          return { source: provider.source, value: await call(provider) };
        } catch (error: unknown) {
          const failure = asProviderError(provider.source, error);
          if (failure.kind === 'NOT_FOUND' || attemptNumber >= policy.maxAttempts) {
            failures.push(failure);
            break;
          }
          const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
          await clock.sleep(Math.floor(clock.random() * ceiling));
        }
      }
    }
    throw new NoProviderAnsweredError(symbol, failures);
  };

  return {
    sources: providers.map((provider) => provider.source),
    async quote(symbol: string, now: Date): Promise<ProviderQuote & { source: string }> {
      const { source, value } = await attempt(symbol, (provider) => provider.quote(symbol, now));
      return { ...value, source };
    },
    async dailyCloses(symbol: string, range: DateRange): Promise<ProviderHistory & { source: string }> {
      const { source, value } = await attempt(symbol, (provider) => provider.dailyCloses(symbol, range));
      return { ...value, source };
    },
  };
};

export type ProviderChain = ReturnType<typeof buildProviderChain>;
