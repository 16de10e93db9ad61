import { DEFAULT_UNIVERSE_SYMBOLS } from '@kupala/trade-model';
import { DEMO_UNIVERSE_SYMBOLS, demoUniverseCloses } from './demo-universe';

describe("the demo's market-universe closes", () => {
  const now = new Date('2027-03-01T15:00:00Z');

  it('has a close on every weekday of the last 1096 days, today included', () => {
    const closes = demoUniverseCloses('SPY', now);

    // 2027-03-01 (a Monday) − 1096 days = 2024-02-29 (a Thursday): 2024-02-29 → 2027-03-01 is 1097 days, i.e.
    // Thu 02-29, Fri 03-01, Sat, Sun, Mon 03-04 (3 weekdays) then 156 whole weeks (780 weekdays) = 783 closes
    expect(closes).toHaveLength(783);
    expect(closes[0]?.date).toBe('2024-02-29');
    expect(closes[1]?.date).toBe('2024-03-01');
    expect(closes[2]?.date).toBe('2024-03-04');
    expect(closes.at(-1)?.date).toBe('2027-03-01');
    expect(closes.filter(({ date }) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()))).toEqual(
      [],
    );
  });

  it('walks by −1.96 % to +2.04 % a day, as positive 2-decimal strings, the same on every run and apart per symbol', () => {
    for (const symbol of DEMO_UNIVERSE_SYMBOLS) {
      const closes = demoUniverseCloses(symbol, now);
      expect(closes.every(({ close }) => /^\d+\.\d{2}$/.test(close) && Number(close) > 0)).toBe(true);
      closes.slice(1).forEach(({ close }, index) => {
        // (u − 0.49) × 0.04 for u in [0, 1): −1.96 % … +2.04 %, plus half a cent of rounding on each close
        const before = Number(closes[index]?.close);
        expect(Math.abs(Number(close) - before)).toBeLessThanOrEqual(before * 0.0204 + 0.01 + 1e-9);
      });
      expect(demoUniverseCloses(symbol, now)).toEqual(closes);
    }
    expect(demoUniverseCloses('SPY', now).at(-1)).not.toEqual(demoUniverseCloses('QQQ', now).at(-1));
  });

  it("seeds only symbols of the universe's default list (else the default universe would not show them)", () => {
    for (const symbol of DEMO_UNIVERSE_SYMBOLS) expect(DEFAULT_UNIVERSE_SYMBOLS).toContain(symbol);
  });
});
