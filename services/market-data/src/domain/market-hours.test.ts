import { closeTime, expectedUpdateAt, isStale, marketOf } from './market-hours';

const at = (iso: string) => new Date(iso);

describe('the staleness rule', () => {
  it('expects a price every moment while the market is open, with 30 minutes of grace', () => {
    // Tuesday 2026-11-24 16:00 UTC: US session 14:30–21:00 is open
    const us = marketOf('AAPL', 'USD');
    const now = at('2026-11-24T16:00:00.000Z');
    expect(expectedUpdateAt(us, now)).toEqual(now);
    expect(isStale('2026-11-24T15:31:00.000Z', us, now)).toBe(false);
    expect(isStale('2026-11-24T15:29:00.000Z', us, now)).toBe(true);
  });

  it('expects the last session close when the market is shut, weekends skipped', () => {
    const us = marketOf('AAPL', 'USD');
    // before Tuesday's open: Monday's 21:00 close
    expect(expectedUpdateAt(us, at('2026-11-24T10:00:00.000Z')).toISOString()).toBe(
      '2026-11-23T21:00:00.000Z',
    );
    expect(isStale('2026-11-23T20:31:00.000Z', us, at('2026-11-24T10:00:00.000Z'))).toBe(false);
    expect(isStale('2026-11-23T20:29:00.000Z', us, at('2026-11-24T10:00:00.000Z'))).toBe(true);
    // Saturday noon and Sunday: Friday's close
    expect(expectedUpdateAt(us, at('2026-11-28T12:00:00.000Z')).toISOString()).toBe(
      '2026-11-27T21:00:00.000Z',
    );
    expect(expectedUpdateAt(us, at('2026-11-29T23:00:00.000Z')).toISOString()).toBe(
      '2026-11-27T21:00:00.000Z',
    );
  });

  it('knows other markets: Tokyo by currency, FX pairs on weekdays, crypto always', () => {
    // Tokyo 00:00–06:00 UTC: at 10:00 UTC its close at 06:00 is expected
    expect(expectedUpdateAt(marketOf('7203.T', 'JPY'), at('2026-11-24T10:00:00.000Z')).toISOString()).toBe(
      '2026-11-24T06:00:00.000Z',
    );
    // FX trades through Friday: on Sunday the last expected update is Friday's end of day
    expect(expectedUpdateAt(marketOf('EURUSD=X', 'USD'), at('2026-11-29T12:00:00.000Z')).toISOString()).toBe(
      '2026-11-28T00:00:00.000Z',
    );
    const sunday = at('2026-11-29T12:00:00.000Z');
    expect(expectedUpdateAt(marketOf('BTC-USD', 'USD'), sunday)).toEqual(sunday);
  });

  it("dates a daily close at its market's close", () => {
    expect(closeTime('2026-11-23', marketOf('AAPL', 'USD'))).toBe('2026-11-23T21:00:00.000Z');
    expect(closeTime('2026-11-23', marketOf('SAP.DE', 'EUR'))).toBe('2026-11-23T16:30:00.000Z');
  });
});
