import {
  drawdownAreaPath,
  drawdownSeries,
  formatRate,
  type HistoryPoint,
  historyGeometry,
  linearScale,
  linePath,
  rangeStart,
} from './history-chart';

// Six business days. The index I_t = Π(1 + r_t):
//   d1 r null -> I 1        peak 1       dd 0
//   d2 r 0.1  -> I 1.1      peak 1.1     dd 0
//   d3 r -0.1 -> I 0.99     peak 1.1     dd 0.99 / 1.1 − 1 = −0.1
//   d4 r 0.05 -> I 1.0395   peak 1.1     dd 1.0395 / 1.1 − 1 = −0.055
//   d5 r null -> I 1.0395   (unchanged)  dd −0.055
//   d6 r 0.1  -> I 1.14345  peak 1.14345 dd 0
const DAYS: HistoryPoint[] = [
  { date: '2026-03-02', netLiquidation: '100', dailyReturn: null },
  { date: '2026-03-03', netLiquidation: '110', dailyReturn: '0.1' },
  { date: '2026-03-04', netLiquidation: '99', dailyReturn: '-0.1' },
  { date: '2026-03-05', netLiquidation: '104.5', dailyReturn: '0.05' },
  { date: '2026-03-06', netLiquidation: null, dailyReturn: null },
  { date: '2026-03-09', netLiquidation: '121', dailyReturn: '0.1' },
];

describe('linearScale', () => {
  it('maps the domain onto the range, inverted ranges included', () => {
    expect(linearScale(0, 10, 0, 100)(2.5)).toBe(25);
    // 100 + (2 − 0) × (0 − 100) / 10 = 80
    expect(linearScale(0, 10, 100, 0)(2)).toBe(80);
  });

  it('puts a flat domain in the middle of the range', () => {
    expect(linearScale(5, 5, 0, 100)(5)).toBe(50);
  });
});

describe('drawdownSeries', () => {
  it('measures each day against the running peak of the return index', () => {
    expect(drawdownSeries(DAYS)).toEqual([0, 0, -0.1, -0.055, -0.055, 0]);
  });

  it('does not count a deposit as a gain: only the returns move the index', () => {
    // net liquidation doubles by a deposit (return 0), then falls 10 %: the drawdown is −10 %, not a gain
    const withDeposit: HistoryPoint[] = [
      { date: '2026-03-02', netLiquidation: '100', dailyReturn: null },
      { date: '2026-03-03', netLiquidation: '200', dailyReturn: '0' },
      { date: '2026-03-04', netLiquidation: '180', dailyReturn: '-0.1' },
    ];
    expect(drawdownSeries(withDeposit)).toEqual([0, 0, -0.1]);
  });
});

describe('paths', () => {
  const x = (index: number) => index * 10;
  const y = (value: number) => 100 - value;

  it('breaks the line at a missing value', () => {
    expect(linePath([1, 2, null, 4], x, y)).toBe('M0 99 L10 98 M30 96');
  });

  it('closes the drawdown band along the zero line', () => {
    // y(0) = 100; the curve points: (0, 100), (10, 100.5), (20, 100)
    expect(drawdownAreaPath([0, -0.5, 0], x, y)).toBe('M0 100 L0 100 L10 100.5 L20 100 L20 100 Z');
    expect(drawdownAreaPath([], x, y)).toBe('');
  });
});

describe('historyGeometry', () => {
  it('lays out the value panel and the drawdown band with hand-computed coordinates', () => {
    const geometry = historyGeometry(DAYS, { width: 100, height: 100, valueShare: 0.6 });
    // x: 6 days over 100 px -> 0, 20, 40, 60, 80, 100
    // value panel 60 px high, low 99 at y 60, high 121 at y 0: y(v) = 60 − (v − 99) × 60 / 22
    //   100 -> 60 − 2.727… = 57.27; 110 -> 60 − 30 = 30; 99 -> 60; 104.5 -> 60 − 15 = 45; null breaks; 121 -> 0
    expect(geometry.valuePath).toBe('M0 57.27 L20 30 L40 60 L60 45 M100 0');
    expect(geometry.low).toBe('99');
    expect(geometry.high).toBe('121');
    // drawdown panel from y 60 (0 %) to y 100 (deepest −10 %): y(d) = 60 − 400 d
    //   0 -> 60; −0.1 -> 100; −0.055 -> 82
    expect(geometry.drawdownTop).toBe(60);
    expect(geometry.deepest).toBe(-0.1);
    expect(geometry.drawdownPath).toBe('M0 60 L0 60 L20 60 L40 100 L60 82 L80 82 L100 60 L100 60 Z');
  });

  it('draws a flat band at the zero line when there was never a drawdown', () => {
    const rising: HistoryPoint[] = [
      { date: '2026-03-02', netLiquidation: '100', dailyReturn: null },
      { date: '2026-03-03', netLiquidation: '101', dailyReturn: '0.01' },
    ];
    const geometry = historyGeometry(rising, { width: 10, height: 10, valueShare: 0.5 });
    expect(geometry.deepest).toBe(0);
    expect(geometry.drawdownPath).toBe('M0 5 L0 5 L10 5 L10 5 Z');
  });
});

describe('rangeStart', () => {
  it('goes back whole months, clamped to the shorter month', () => {
    expect(rangeStart('2026-03-31', '1M')).toBe('2026-02-28');
    expect(rangeStart('2024-03-31', '1M')).toBe('2024-02-29');
    expect(rangeStart('2026-01-15', '3M')).toBe('2025-10-15');
    expect(rangeStart('2026-08-31', '6M')).toBe('2026-02-28');
    expect(rangeStart('2026-12-04', '1Y')).toBe('2025-12-04');
    expect(rangeStart('2026-12-04', 'ALL')).toBeUndefined();
  });
});

describe('formatRate', () => {
  it('turns a rate into a percentage exactly, half-even', () => {
    expect(formatRate('0.0123')).toBe('1.23%');
    // −12.34567 % -> −12.35 %
    expect(formatRate('-0.1234567')).toBe('-12.35%');
    // 0.125 % is a tie: half-even keeps 0.12 %
    expect(formatRate('0.00125')).toBe('0.12%');
  });
});
