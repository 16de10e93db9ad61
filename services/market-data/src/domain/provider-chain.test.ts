import { buildProviderChain, NoProviderAnsweredError } from './provider-chain';
import { type PriceProvider, ProviderError, type ProviderQuote } from './providers';

const NOW = new Date('2026-03-03T15:00:00.000Z');
const quoteOf = (price: string): ProviderQuote => ({
  symbol: 'AAPL',
  price,
  currency: 'USD',
  time: NOW.toISOString(),
});

/** A provider that answers from a script of outcomes, one per call, and counts its calls. */
const scripted = (source: string, outcomes: (ProviderQuote | ProviderError['kind'] | Error)[]) => {
  const calls: string[] = [];
  const provider: PriceProvider = {
    source,
    async quote(symbol) {
      calls.push(symbol);
      const outcome = outcomes[Math.min(calls.length - 1, outcomes.length - 1)];
      if (outcome instanceof Error) throw outcome;
      if (typeof outcome === 'string')
        throw new ProviderError(source, outcome, `${outcome.toLowerCase()} (scripted)`);
      if (outcome === undefined) throw new Error('script exhausted');
      return outcome;
    },
    async dailyCloses() {
      throw new ProviderError(source, 'UNAVAILABLE', 'not scripted');
    },
  };
  return { provider, calls };
};

const recordingClock = (random = 0.5) => {
  const delays: number[] = [];
  return { delays, clock: { sleep: async (ms: number) => void delays.push(ms), random: () => random } };
};

describe('provider chain', () => {
  it('answers from the first provider with its source when it works', async () => {
    const yahoo = scripted('yahoo', [quoteOf('190.5')]);
    const fallback = scripted('simulated', [quoteOf('1')]);
    const { clock, delays } = recordingClock();
    const chain = buildProviderChain([yahoo.provider, fallback.provider], undefined, clock);
    await expect(chain.quote('AAPL', NOW)).resolves.toEqual({ ...quoteOf('190.5'), source: 'yahoo' });
    expect(fallback.calls).toEqual([]);
    expect(delays).toEqual([]);
  });

  it('retries a rate limit with capped exponential backoff and full jitter, then falls back', async () => {
    const yahoo = scripted('yahoo', ['RATE_LIMITED']);
    const fallback = scripted('simulated', [quoteOf('187.25')]);
    const { clock, delays } = recordingClock(0.5);
    const chain = buildProviderChain(
      [yahoo.provider, fallback.provider],
      { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 500 },
      clock,
    );
    await expect(chain.quote('AAPL', NOW)).resolves.toEqual({ ...quoteOf('187.25'), source: 'simulated' });
    expect(yahoo.calls).toHaveLength(4);
    // ceilings 200, 400, min(500, 800) = 500; × random 0.5 → 100, 200, 250 (no sleep after the last attempt)
    expect(delays).toEqual([100, 200, 250]);
  });

  it('recovers on the same provider when a retry succeeds', async () => {
    const yahoo = scripted('yahoo', ['UNAVAILABLE', quoteOf('190')]);
    const { clock, delays } = recordingClock(1);
    const chain = buildProviderChain(
      [yahoo.provider],
      { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      clock,
    );
    await expect(chain.quote('AAPL', NOW)).resolves.toMatchObject({ price: '190', source: 'yahoo' });
    expect(delays).toEqual([100]);
  });

  it('moves on at once when a provider does not know the symbol, and treats a thrown bug as an outage', async () => {
    const yahoo = scripted('yahoo', ['NOT_FOUND']);
    const broken = scripted('broken', [new TypeError('cannot read price of undefined')]);
    const manual = scripted('manual', [quoteOf('99')]);
    const { clock, delays } = recordingClock(0);
    const chain = buildProviderChain([yahoo.provider, broken.provider, manual.provider], undefined, clock);
    await expect(chain.quote('AAPL', NOW)).resolves.toMatchObject({ source: 'manual' });
    expect(yahoo.calls).toHaveLength(1);
    expect(broken.calls).toHaveLength(3);
    expect(delays).toEqual([0, 0]);
  });

  it('reports every failure when no provider answers; NOT_FOUND only if all said so', async () => {
    const { clock } = recordingClock(0);
    const notFound = buildProviderChain(
      [scripted('yahoo', ['NOT_FOUND']).provider, scripted('simulated', ['NOT_FOUND']).provider],
      undefined,
      clock,
    );
    const error = await notFound.quote('ZZZZ', NOW).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoProviderAnsweredError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', symbol: 'ZZZZ' });
    expect((error as NoProviderAnsweredError).failures.map((failure) => failure.source)).toEqual([
      'yahoo',
      'simulated',
    ]);

    const mixed = buildProviderChain(
      [scripted('yahoo', ['RATE_LIMITED']).provider, scripted('simulated', ['NOT_FOUND']).provider],
      { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      clock,
    );
    await expect(mixed.quote('ZZZZ', NOW)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
  });
});
