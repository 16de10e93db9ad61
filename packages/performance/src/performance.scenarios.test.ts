import { computePerformance } from './performance';
import { type DailyValue, dailyReturns } from './returns';

const day = (date: string, netLiquidation: string, externalFlow = '0'): DailyValue => ({
  date,
  netLiquidation,
  externalFlow,
});

describe('performance worked examples', () => {
  it('a deposit on a down day counts neither as a gain nor hides the loss', () => {
    const report = computePerformance([
      day('2026-01-02', '1000'),
      // 500 deposited at the start of the day, then the market falls: r = 1425 / (1000 + 500) − 1 = −0.05
      day('2026-01-05', '1425', '500'),
      // r = 1567.5 / 1425 − 1 = 1.1 − 1 = 0.1
      day('2026-01-06', '1567.5'),
    ]);
    // TWR = 0.95 × 1.1 − 1 = 1.045 − 1 = 0.045
    expect(report.twr).toBe('0.0450000000');
    // index 0.95 under the starting peak 1: 0.95 / 1 − 1 = −0.05; then 1.045 is a new peak
    expect(report.maxDrawdown).toBe('-0.0500000000');
    // mean 0.025, deviations ±0.075, squares 0.005625 × 2 = 0.01125, / (2 − 1) = 0.01125;
    // √0.01125 × √252 = √2.835 = 1.68374582404827…
    expect(report.volatility).toBe('1.6837458240');
    expect(report.returnDays).toBe(2);
    expect(report.reasons).toEqual({});
  });

  it('a withdrawal to zero gives days without a return, never −100% or worse', () => {
    const series = [
      day('2026-03-02', '1000'),
      day('2026-03-03', '1100'), // r = 1100 / 1000 − 1 = 0.1
      day('2026-03-04', '0', '-1100'), // capital 1100 − 1100 = 0 at the start: no return
      day('2026-03-05', '0'), // capital 0: no return
      day('2026-03-06', '450', '500'), // r = 450 / (0 + 500) − 1 = −0.1
      day('2026-03-09', '495'), // r = 495 / 450 − 1 = 0.1
    ];
    expect(
      dailyReturns(series).map((entry) => (entry.value === null ? entry.reason : entry.value.toString())),
    ).toEqual(['FIRST_DAY', '0.1', 'NO_CAPITAL', 'NO_CAPITAL', '-0.1', '0.1']);
    const report = computePerformance(series);
    // TWR = 1.1 × 0.9 × 1.1 − 1 = 1.089 − 1 = 0.089
    expect(report.twr).toBe('0.0890000000');
    expect(report.returnDays).toBe(3);
    // index 1.1 (peak), 0.99 → 0.99 / 1.1 − 1 = −0.1, 1.089 → 1.089 / 1.1 − 1 = −0.01: worst −0.1
    expect(report.maxDrawdown).toBe('-0.1000000000');
    // returns 0.1, −0.1, 0.1: mean 1/30; squared deviations (2/30)², (4/30)², (2/30)² sum to 24/900 = 0.08/3;
    // / (3 − 1) = 0.04/3; × 252 = 3.36; √3.36 = 1.83303027798233…
    expect(report.volatility).toBe('1.8330302780');
    // the money-weighted rate exists (money went in and came out) and zeroes the flows' value
    expect(report.mwr).not.toBeNull();
    const rate = Number(report.mwr);
    const years = (date: string) => (Date.parse(date) - Date.parse('2026-03-02')) / 86_400_000 / 365;
    const npv =
      -1000 +
      1100 * (1 + rate) ** -years('2026-03-04') -
      500 * (1 + rate) ** -years('2026-03-06') +
      495 * (1 + rate) ** -years('2026-03-09');
    expect(Math.abs(npv)).toBeLessThan(1e-6);
  });

  it('a range that starts before the first trade measures from the first deposit', () => {
    const report = computePerformance([
      day('2026-01-01', '0'),
      day('2026-01-02', '0'), // nothing invested: no return
      day('2026-01-05', '9900', '10000'), // r = 9900 / 10000 − 1 = −0.01
      day('2026-01-06', '10098'), // r = 10098 / 9900 − 1 = 1.02 − 1 = 0.02
    ]);
    // TWR = 0.99 × 1.02 − 1 = 1.0098 − 1 = 0.0098
    expect(report.twr).toBe('0.0098000000');
    expect(report.returnDays).toBe(2);
    expect(report.maxDrawdown).toBe('-0.0100000000');
    // mean 0.005, deviations ±0.015, squares 0.000225 × 2 = 0.00045; × 252 = 0.1134; √0.1134 = 0.33674916480965…
    expect(report.volatility).toBe('0.3367491648');
    // flows −10000 on 01-05 and +10098 on 01-06, one day apart: (10098 / 10000)^365 − 1 = 1.0098^365 − 1
    // = 34.14865583068128 (the zero days before the deposit carry no flow)
    expect(Number(report.mwr)).toBeCloseTo(34.14865583068128, 8);
  });

  it('a flat series has zero return, zero volatility and no drawdown', () => {
    const report = computePerformance([
      day('2026-02-02', '5000'),
      day('2026-02-03', '5000'),
      day('2026-02-04', '5000'),
    ]);
    expect(report).toMatchObject({
      twr: '0.0000000000',
      mwr: '0.0000000000',
      volatility: '0.0000000000',
      maxDrawdown: '0.0000000000',
      reasons: {},
    });
  });

  it('money-weighted return over two years with a deposit after one year is 10% a year', () => {
    // −1000 on 2023-01-01, −1000 on 2024-01-01 (365 days), +2310 on 2024-12-31 (730 days):
    // 1000 x² + 1000 x = 2310 with x = 1 + r → x² + x − 2.31 = 0 → x = (−1 + √10.24) / 2 = (−1 + 3.2) / 2 = 1.1
    const report = computePerformance([
      day('2023-01-01', '1000'),
      day('2024-01-01', '2100', '1000'),
      day('2024-12-31', '2310'),
    ]);
    expect(report.mwr).toBe('0.1000000000');
    // TWR = 2100 / (1000 + 1000) × 2310 / 2100 − 1 = 2310 / 2000 − 1 = 0.155
    expect(report.twr).toBe('0.1550000000');
  });

  it('answers null with a reason for each figure it cannot compute', () => {
    expect(computePerformance([day('2026-01-02', '1000')])).toMatchObject({
      twr: null,
      mwr: null,
      volatility: null,
      maxDrawdown: null,
      reasons: {
        twr: 'the range holds fewer than 2 daily values',
        mwr: 'the range holds fewer than 2 daily values',
        volatility: 'the range holds fewer than 2 daily values',
        maxDrawdown: 'the range holds fewer than 2 daily values',
      },
    });
    const empty = computePerformance([day('2026-01-01', '0'), day('2026-01-02', '0')]);
    expect(empty).toMatchObject({ twr: null, mwr: null, volatility: null, maxDrawdown: null });
    expect(empty.reasons.mwr).toBe('no money was invested in the range (zero start value and no deposit)');
    expect(empty.reasons.twr).toBe('no day of the range had capital invested at its start');
    const oneReturn = computePerformance([day('2026-01-01', '100'), day('2026-01-02', '110')]);
    expect(oneReturn.twr).toBe('0.1000000000');
    expect(oneReturn.volatility).toBeNull();
    expect(oneReturn.reasons.volatility).toBe('fewer than 2 daily returns in the range');
  });

  it('refuses a series out of date order', () => {
    expect(() => computePerformance([day('2026-01-02', '1'), day('2026-01-02', '1')])).toThrow(
      /increasing date order/,
    );
  });
});
