import { divide, divideHalfEven, multiply, SCALE, squareRoot, toNumber, toScaled } from './fixed-point';
import { type DailyValue, figure, scaledDailyReturns } from './returns';
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

const SQRT_252 = squareRoot(252n * SCALE);

const XIRR_REASONS = {
  NO_INVESTMENT: 'no money was invested in the range (zero start value and no deposit)',
  NO_RETURN_FLOW: 'nothing came back in the range (no withdrawal and a zero end value)',
  NO_ROOT: 'no rate makes the net present value of the flows zero',
  NO_TIME: 'the range spans no time',
} as const;

const moneyWeightedFlows = (series: readonly DailyValue[]): DatedFlow[] => {
  const flows = new Map<string, bigint>();
  const add = (date: string, amount: bigint) => flows.set(date, (flows.get(date) ?? 0n) + amount);
  series.forEach((day, index) => {
    if (index === 0) add(day.date, -toScaled(day.netLiquidation));
    else add(day.date, -toScaled(day.externalFlow));
  });
  const last = series.at(-1);
  if (last !== undefined) add(last.date, toScaled(last.netLiquidation));
  return [...flows.entries()]
    .filter(([, amount]) => amount !== 0n)
    .map(([date, amount]) => ({ date, amount: toNumber(amount) }));
};

/** TWR, MWR, volatility and maximum drawdown of a daily series (see `PERFORMANCE_METHODS`). */
export const computePerformance = (series: readonly DailyValue[]): PerformanceReport => {
  const returns = scaledDailyReturns(series)
    .map((day) => day.value)
    .filter((value): value is bigint => value !== null);
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
    let index = SCALE;
    let peak = SCALE;
    let worst = 0n;
    for (const value of returns) {
      index = multiply(index, SCALE + value);
      if (index > peak) peak = index;
      const drawdown = divide(index, peak) - SCALE;
      if (drawdown < worst) worst = drawdown;
    }
    report.twr = figure(index - SCALE);
    report.maxDrawdown = figure(worst);
  }

  if (returns.length < 2) reasons.volatility = 'fewer than 2 daily returns in the range';
  else {
    const count = BigInt(returns.length);
    const mean = divideHalfEven(
      returns.reduce((sum, value) => sum + value, 0n),
      count,
    );
    const squares = returns.reduce((sum, value) => sum + multiply(value - mean, value - mean), 0n);
    const deviation = squareRoot(divideHalfEven(squares, count - 1n));
    report.volatility = figure(multiply(deviation, SQRT_252));
  }

  const mwr = xirr(moneyWeightedFlows(series));
  if (mwr.rate === null) reasons.mwr = XIRR_REASONS[mwr.reason];
  else report.mwr = figure(toScaled(mwr.rate.toFixed(14)));
  return report;
};
