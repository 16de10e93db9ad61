import {
  annualisedVolatility,
  featureCell,
  forwardReturn,
  MIN_CLOSES_FOR_A_ROW,
  maxDrawdown,
  momentum,
  monthEndIndexes,
  trailingReturn,
  UNIVERSE_COLUMNS,
  universeRowsOf,
} from './market-universe';

// index:          0    1    2     3     4
const TINY = [100, 110, 99, 108.9, 120];

describe('market-universe features on a tiny price series (windows shortened so they fit)', () => {
  it('trailing return c[i] / c[i − n] − 1', () => {
    // 120 / 99 − 1 = 21 / 99 = 0.2121…
    expect(trailingReturn(TINY, 4, 2)).toBeCloseTo(21 / 99, 12);
    // 108.9 / 100 − 1 = 0.089
    expect(trailingReturn(TINY, 3, 3)).toBeCloseTo(0.089, 12);
  });

  it('forward return c[i + n] / c[i] − 1', () => {
    // 108.9 / 110 − 1 = 0.99 − 1 = −0.01
    expect(forwardReturn(TINY, 1, 2)).toBeCloseTo(-0.01, 12);
  });

  it('momentum is the return from `from` closes back to `to` closes back (the last `to` closes left out)', () => {
    // at i = 4, from 4 back (c0 = 100) to 1 back (c3 = 108.9): 108.9 / 100 − 1 = 0.089; c4 = 120 plays no part
    expect(momentum(TINY, 4, 4, 1)).toBeCloseTo(0.089, 12);
  });

  it('annualised volatility: sample standard deviation of the daily returns × √252', () => {
    // returns at k = 1..3: 110/100 − 1 = 0.1, 99/110 − 1 = −0.1, 108.9/99 − 1 = 0.1; mean = 0.1/3
    // squared deviations: (0.2/3)² + (0.4/3)² + (0.2/3)² = (0.04 + 0.16 + 0.04) / 9 = 0.24/9
    // variance (n − 1 = 2): 0.12/9 = 0.01333…; × 252 = 3.36; √3.36 = 1.8330302779823…
    expect(annualisedVolatility(TINY, 3, 3)).toBeCloseTo(Math.sqrt(3.36), 12);
    expect(annualisedVolatility(TINY, 3, 3)).toBeCloseTo(1.833030278, 9);
  });

  it('volatility of a series moving by the same ratio every day is zero', () => {
    // every daily return is exactly 0.5 (1, 1.5, 2.25, 3.375): no deviation from the mean
    expect(annualisedVolatility([1, 1.5, 2.25, 3.375], 3, 3)).toBe(0);
  });

  it('max drawdown: most negative close / running peak − 1, zero when the series never fell', () => {
    // peak 110 at 1; 99/110 − 1 = −0.1; 108.9/110 − 1 = −0.01; 120 is a new peak → −0.1
    expect(maxDrawdown(TINY, 4, 4)).toBeCloseTo(-0.1, 12);
    // window c2..c4 (99, 108.9, 120) only rises
    expect(maxDrawdown(TINY, 4, 2)).toBe(0);
  });

  it('month ends are the closes whose next close falls in another month; the last close is none', () => {
    const dates = ['2026-01-29', '2026-01-30', '2026-02-02', '2026-02-27', '2026-03-02'];
    expect(monthEndIndexes(dates)).toEqual([1, 3]);
  });

  it('writes figures with at most 10 places, no trailing zeros, no exponent and no negative zero', () => {
    expect(featureCell(21 / 99)).toBe('0.2121212121');
    expect(featureCell(-0.1)).toBe('-0.1');
    expect(featureCell(10)).toBe('10');
    expect(featureCell(1e-12)).toBe('0');
    expect(featureCell(-1e-12)).toBe('0');
    expect(featureCell(1.5e-7)).toBe('0.00000015');
  });
});

/**
 * 274 closes (the fewest a row needs: 252 before, the date, 21 after) dated so that index 252 (2026-01-30) is
 * a month end: one calendar day apart, 2026-02-01 following it. All 100 except a dip to 90 at index 240 and 110
 * at the last index 273.
 */
const dipSeries = (length: number) => {
  const day = (offset: number) =>
    new Date(Date.UTC(2026, 0, 30) + offset * 86_400_000).toISOString().slice(0, 10);
  const dates = Array.from({ length }, (_, index) =>
    index <= 252 ? day(index - 252) : day(index - 252 + 1),
  );
  const closes = Array.from({ length }, (_, index) => (index === 240 ? 90 : index === 273 ? 110 : 100));
  return { symbol: 'DIP', dates, closes };
};

describe('universe rows of one symbol', () => {
  it('has one row per month end with complete windows, its features worked by hand', () => {
    const series = dipSeries(MIN_CLOSES_FOR_A_ROW);
    expect(series.dates[252]).toBe('2026-01-30');
    expect(series.dates[253]).toBe('2026-02-01');

    const rows = universeRowsOf(series);

    // Earlier month ends (e.g. 2025-12-31 at index 222) lack 252 closes before them; none after 252 has 21 after it.
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(UNIVERSE_COLUMNS.map((column, index) => [column.name, rows[0]?.[index]]));
    // c252 = c247 = c231 = c189 = c0 = 100: every trailing return is 0, and so is 12-1 momentum (c231 / c0 − 1)
    expect(row).toMatchObject({
      symbol: 'DIP',
      date: '2026-01-30',
      ret_5d: '0',
      ret_21d: '0',
      ret_63d: '0',
      ret_252d: '0',
      mom_12_1: '0',
      // 90 / 100 − 1 at index 240, the peak being 100
      maxdd_252d: '-0.1',
      // c273 / c252 − 1 = 110 / 100 − 1
      fwd_ret_21d: '0.1',
    });
    // Two non-zero daily returns in each window: 90/100 − 1 = −1/10 and 100/90 − 1 = 1/9.
    // Σr = 1/90, Σr² = 1/100 + 1/81 = 181/8100; variance = (Σr² − (Σr)²/n) / (n − 1).
    // n = 21: (181/8100 − 1/170100) / 20 = (3800/170100) / 20 = 19/17010; × 252 = 266/945 → √ = 0.5305482…
    expect(Number(row.vol_21d)).toBeCloseTo(Math.sqrt(266 / 945), 9);
    // n = 63: (181/8100 − 1/510300) / 62 = (11402/510300) / 62; × 252 = 45608/502200 → √ = 0.3013576…
    expect(Number(row.vol_63d)).toBeCloseTo(Math.sqrt(45608 / 502200), 9);
  });

  it('has no row when the series is one close short of 274', () => {
    expect(universeRowsOf(dipSeries(MIN_CLOSES_FOR_A_ROW - 1))).toEqual([]);
  });
});
