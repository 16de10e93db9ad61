import { performance } from 'node:perf_hooks';
import { computePerformance, type DailyValue } from '../packages/performance/src';

export const TRADING_DAYS = 2520; // 10 years × 252

/**
 * Ten years of weekday net liquidation for one portfolio: a seeded walk of ±1.5% a day on 100,000, a
 * deposit on the first weekday of each month and a withdrawal each quarter, as exact decimal strings.
 */
export const tenYearSeries = (): DailyValue[] => {
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const series: DailyValue[] = [];
  let cents = 10_000_000;
  const day = new Date(Date.UTC(2016, 0, 4));
  let lastMonth = -1;
  while (series.length < TRADING_DAYS) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) {
      let flowCents = 0;
      if (day.getUTCMonth() !== lastMonth) {
        lastMonth = day.getUTCMonth();
        flowCents = lastMonth % 3 === 0 ? -150_000 : 100_000;
      }
      cents = Math.round((cents + flowCents) * (1 + (random() - 0.5) * 0.03));
      const money = (value: number) =>
        `${value < 0 ? '-' : ''}${Math.floor(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, '0')}`;
      series.push({
        date: day.toISOString().slice(0, 10),
        netLiquidation: money(cents),
        externalFlow: money(flowCents),
      });
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return series;
};

/** Times computePerformance over the ten-year series: one warm-up, then `runs` timed calls (ms each). */
export const measurePerformanceFigures = (runs: number): number[] => {
  const series = tenYearSeries();
  computePerformance(series);
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    computePerformance(series);
    samples.push(performance.now() - started);
  }
  return samples;
};
