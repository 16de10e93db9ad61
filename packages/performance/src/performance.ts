import { Decimal, decimal } from '@kupala/trade-model';
import { type DailyValue, dailyReturns, figure, ONE, RETURN_PLACES } from './returns';
import { type DatedFlow, xirr } from './xirr';

export type FigureName = 'twr' | 'mwr' | 'volatility' | 'maxDrawdown';

/**
 * The performance of a range, as `GET …/performance` answers it: each figure a decimal string with 10
 * places, or `null` with its reason in `reasons`; `method` says how each one is computed.
 */
export interface PerformanceReport {
  from: string | null;
  to: string | null;
  /** Days with a daily return (days without capital at their start have none). */
  returnDays: number;
  twr: string | null;
  mwr: string | null;
  volatility: string | null;
  maxDrawdown: string | null;
  method: Record<FigureName, string>;
  reasons: Partial<Record<FigureName, string>>;
}

export const PERFORMANCE_METHODS: Record<FigureName, string> = {
  twr:
    'time-weighted, daily-linked: Π(1 + r_t) − 1 over the range, cumulative (not annualized); ' +
    'r_t = V_t / (V_{t−1} + F_t) − 1 with external flows F_t at the start of day t; a day with no capital at ' +
    'its start (V_{t−1} + F_t ≤ 0) has no return and is skipped',
  mwr:
    'money-weighted: annualized XIRR on actual/365 of −V at the start, −F_t on each flow date and +V at the end ' +
    '(the first day’s own flow is part of its starting value); Newton with bisection fallback',
  volatility: 'sample standard deviation of the daily returns × √252 (annualized)',
  maxDrawdown:
    'most negative I_t / max_{s≤t} I_s − 1 on the return index I_t = Π(1 + r) starting at 1, so flows are not losses',
};

const SQRT_252 = new Decimal(252).sqrt();

const XIRR_REASONS = {
  NO_INVESTMENT: 'no money was invested in the range (zero start value and no deposit)',
  NO_RETURN_FLOW: 'nothing came back in the range (no withdrawal and a zero end value)',
  NO_ROOT: 'no rate makes the net present value of the flows zero',
  NO_TIME: 'the range spans no time',
} as const;

const moneyWeightedFlows = (series: readonly DailyValue[]): DatedFlow[] => {
  const flows = new Map<string, Decimal>();
  const add = (date: string, amount: Decimal) =>
    flows.set(date, (flows.get(date) ?? new Decimal(0)).plus(amount));
  series.forEach((day, index) => {
    if (index === 0) add(day.date, decimal(day.netLiquidation).neg());
    else add(day.date, decimal(day.externalFlow).neg());
  });
  const last = series.at(-1);
  if (last !== undefined) add(last.date, decimal(last.netLiquidation));
  return [...flows.entries()]
    .filter(([, amount]) => !amount.eq(0))
    .map(([date, amount]) => ({ date, amount: Number(amount.toString()) }));
};

/** TWR, MWR, volatility and maximum drawdown of a daily series (see `PERFORMANCE_METHODS`). */
export const computePerformance = (series: readonly DailyValue[]): PerformanceReport => {
  const returns = dailyReturns(series)
    .map((day) => day.value)
    .filter((value): value is Decimal => value !== null);
  const reasons: PerformanceReport['reasons'] = {};
  const report: PerformanceReport = {
    from: series[0]?.date ?? null,
    to: series.at(-1)?.date ?? null,
    returnDays: returns.length,
    twr: null,
    mwr: null,
    volatility: null,
    maxDrawdown: null,
    method: PERFORMANCE_METHODS,
    reasons,
  };

  if (series.length < 2) {
    const why = 'the range holds fewer than 2 daily values';
    return { ...report, reasons: { twr: why, mwr: why, volatility: why, maxDrawdown: why } };
  }

  if (returns.length === 0) {
    reasons.twr = 'no day of the range had capital invested at its start';
    reasons.maxDrawdown = reasons.twr;
  } else {
    let index = ONE;
    let peak = ONE;
    let worst = new Decimal(0);
    for (const value of returns) {
      index = index.times(ONE.plus(value)).round(RETURN_PLACES);
      if (index.gt(peak)) peak = index;
      const drawdown = index.div(peak).minus(1);
      if (drawdown.lt(worst)) worst = drawdown;
    }
    report.twr = figure(index.minus(1));
    report.maxDrawdown = figure(worst);
  }

  if (returns.length < 2) reasons.volatility = 'fewer than 2 daily returns in the range';
  else {
    const mean = returns.reduce((sum, value) => sum.plus(value), new Decimal(0)).div(returns.length);
    const squares = returns.reduce(
      (sum, value) => sum.plus(value.minus(mean).pow(2).round(RETURN_PLACES)),
      new Decimal(0),
    );
    report.volatility = figure(
      squares
        .div(returns.length - 1)
        .sqrt()
        .times(SQRT_252),
    );
  }

  const mwr = xirr(moneyWeightedFlows(series));
  if (mwr.rate === null) reasons.mwr = XIRR_REASONS[mwr.reason];
  else report.mwr = figure(new Decimal(mwr.rate.toFixed(14)));
  return report;
};
