import { computePerformance, PERFORMANCE_METHODS, type PerformanceReport } from '@kupala/performance';
import type { EodDay } from '../adapters/eod-store';

/**
 * The performance of a range of EOD days: the series is the range's days preceded by the last day before it
 * (whose close the range's first return starts from). A day without a value makes every figure null, with the
 * day and what it lacked as the reason: no figure is computed over a hole.
 */
export const performanceOf = (
  before: EodDay | undefined,
  days: readonly EodDay[],
): Omit<PerformanceReport, never> => {
  const series = before === undefined ? [...days] : [before, ...days];
  const range = { from: days[0]?.date ?? null, to: days.at(-1)?.date ?? null };
  const hole = series.find((day) => day.netLiquidation === null);
  if (hole !== undefined) {
    const why = `no net liquidation on ${hole.date}: no close or FX rate for ${hole.missing.join(', ') || 'a holding'}`;
    return {
      ...range,
      returnDays: 0,
      twr: null,
      mwr: null,
      volatility: null,
      maxDrawdown: null,
      method: PERFORMANCE_METHODS,
      reasons: { twr: why, mwr: why, volatility: why, maxDrawdown: why },
    };
  }
  const report = computePerformance(
    series.map((day) => ({
      date: day.date,
      netLiquidation: day.netLiquidation as string,
      externalFlow: day.netFlows,
    })),
  );
  return { ...report, ...range };
};
