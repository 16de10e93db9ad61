import { MAX_FOLLOWED_SYMBOLS } from '@kupala/trade-model';
import { buildSimulatedProvider } from '../../domain/simulated-provider';
import { localEffects, runTicker } from '../../testing/local-effects';
import { buildHandler } from './handler';

const NOW = '2026-11-24T16:00:00.000Z';
const daysAfter = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

describe('following held instruments against DynamoDB Local', () => {
  it('puts each held symbol and pair on the refresh list once, for 30 days, as market-data keys them', async () => {
    const local = localEffects([buildSimulatedProvider()], NOW);
    const first = runTicker('held-a');
    const second = runTicker('held-b');

    // the same symbol three ways ("x ", "X", lower case) is one entry; SEK/NOK twice is one pair
    const result = await buildHandler(local.effects)({
      symbols: [`${first.toLowerCase()} `, first, second],
      pairs: [
        { base: 'SEK', quote: 'NOK' },
        { base: 'SEK', quote: 'NOK' },
      ],
    });

    expect(result).toEqual({ symbols: 2, pairs: 1 });
    const tracked = await local.store.trackedSymbols(NOW);
    expect(tracked).toEqual(expect.arrayContaining([first, second]));
    expect(tracked).not.toContain(`${first.toLowerCase()} `);
    expect(await local.store.trackedPairs(NOW)).toContainEqual({ base: 'SEK', quote: 'NOK' });
    // 30 days from the hand-off: still on the list a day before, gone a day after (unless followed again)
    expect(await local.store.trackedSymbols(daysAfter(29))).toContain(first);
    expect(await local.store.trackedSymbols(daysAfter(31))).not.toContain(first);
  });

  it('refuses a malformed event whole and writes nothing', async () => {
    const local = localEffects([buildSimulatedProvider()], NOW);
    const good = runTicker('held-good');
    const refused = [
      { symbols: [good, 'BAD:KEY'], pairs: [] },
      { symbols: good, pairs: [] },
      { symbols: [good], pairs: [{ base: 'usd', quote: 'EUR' }] },
      { symbols: [good], pairs: [], extra: true },
      { symbols: Array.from({ length: MAX_FOLLOWED_SYMBOLS + 1 }, () => good), pairs: [] },
      null,
    ];
    for (const event of refused) {
      await expect(buildHandler(local.effects)(event)).rejects.toThrow(/^Not a follow event: /);
    }
    expect(await local.store.trackedSymbols(NOW)).not.toContain(good);
  });
});
