import { Decimal } from '@kupala/trade-model/decimal';

/**
 * Geometry of the net liquidation chart and its drawdown band. Only pixel positions are binary floats; every
 * figure a person reads (values, percentages) stays an exact decimal string.
 */
export interface HistoryPoint {
  date: string;
  netLiquidation: string | null;
  dailyReturn: string | null;
}

/** A linear map from [d0, d1] onto [r0, r1]; a flat domain maps to the middle of the range. */
export const linearScale =
  (d0: number, d1: number, r0: number, r1: number) =>
  (value: number): number =>
    d0 === d1 ? (r0 + r1) / 2 : r0 + ((value - d0) * (r1 - r0)) / (d1 - d0);

/**
 * Drawdown of each day on the return index I_t = Π(1 + r_t) (api.md: flows do not count as losses):
 * I_t / max_{s≤t} I_s − 1, as a float for plotting. A day without a return leaves the index where it was.
 */
export const drawdownSeries = (points: readonly HistoryPoint[]): number[] => {
  let index = new Decimal(1);
  let peak = new Decimal(1);
  return points.map((point) => {
    if (point.dailyReturn !== null) index = index.times(new Decimal(1).plus(point.dailyReturn));
    if (index.gt(peak)) peak = index;
    return Number(index.div(peak).minus(1).toFixed(10));
  });
};

const px = (value: number): string => String(Math.round(value * 100) / 100);

/** An SVG path through the points; a null value breaks the line (the next point starts a new segment). */
export const linePath = (
  values: readonly (number | null)[],
  x: (index: number) => number,
  y: (value: number) => number,
): string => {
  const parts: string[] = [];
  let pen = false;
  values.forEach((value, index) => {
    if (value === null) {
      pen = false;
      return;
    }
    parts.push(`${pen ? 'L' : 'M'}${px(x(index))} ${px(y(value))}`);
    pen = true;
  });
  return parts.join(' ');
};

/** The band between the zero line and the drawdown curve, closed back along the zero line. */
export const drawdownAreaPath = (
  drawdowns: readonly number[],
  x: (index: number) => number,
  y: (value: number) => number,
): string => {
  if (drawdowns.length === 0) return '';
  const curve = linePath(drawdowns, x, y).replace(/^M/, 'L');
  const first = px(x(0));
  const last = px(x(drawdowns.length - 1));
  return `M${first} ${px(y(0))} ${curve} L${last} ${px(y(0))} Z`;
};

export interface ChartSize {
  width: number;
  height: number;
  /** Share of the height given to the net liquidation panel; the drawdown band takes the rest. */
  valueShare: number;
}

export interface HistoryGeometry {
  valuePath: string;
  drawdownPath: string;
  /** Lowest and highest net liquidation of the range (exact strings), for the axis labels. */
  low: string | null;
  high: string | null;
  /** Deepest drawdown of the plotted index, as a float for the band's axis label only. */
  deepest: number;
  /** Where the drawdown panel starts (its zero line). */
  drawdownTop: number;
}

/**
 * Lays the range out: the value panel on top (its y scale from the range's low to high), the drawdown panel
 * below (0 at its top edge, the deepest drawdown at its bottom). Days are evenly spaced (business days).
 */
export const historyGeometry = (points: readonly HistoryPoint[], size: ChartSize): HistoryGeometry => {
  const valueHeight = size.height * size.valueShare;
  const x = linearScale(0, Math.max(1, points.length - 1), 0, size.width);
  let low: Decimal | undefined;
  let high: Decimal | undefined;
  for (const point of points) {
    if (point.netLiquidation === null) continue;
    const value = new Decimal(point.netLiquidation);
    if (low === undefined || value.lt(low)) low = value;
    if (high === undefined || value.gt(high)) high = value;
  }
  const valueY = linearScale(Number(low ?? 0), Number(high ?? 0), valueHeight, 0);
  const values = points.map((point) => (point.netLiquidation === null ? null : Number(point.netLiquidation)));
  const drawdowns = drawdownSeries(points);
  const deepest = Math.min(0, ...drawdowns);
  const drawdownY = linearScale(0, deepest === 0 ? -1 : deepest, valueHeight, size.height);
  return {
    valuePath: linePath(values, x, valueY),
    drawdownPath: drawdownAreaPath(drawdowns, x, drawdownY),
    low: low?.toFixed() ?? null,
    high: high?.toFixed() ?? null,
    deepest,
    drawdownTop: valueHeight,
  };
};

export const HISTORY_RANGES = ['1M', '3M', '6M', '1Y', 'ALL'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
const RANGE_MONTHS: Record<Exclude<HistoryRange, 'ALL'>, number> = { '1M': 1, '3M': 3, '6M': 6, '1Y': 12 };

/**
 * First day of a range ending on `to` (YYYY-MM-DD): the same day of the month `months` earlier, clamped to that
 * month's last day (2026-03-31 less 1 month is 2026-02-28). ALL: undefined (the API's default range).
 */
export const rangeStart = (to: string, range: HistoryRange): string | undefined => {
  if (range === 'ALL') return undefined;
  const [year = 0, month = 1, day = 1] = to.split('-').map(Number);
  const total = year * 12 + (month - 1) - RANGE_MONTHS[range];
  const startYear = Math.floor(total / 12);
  const startMonth = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(startYear, startMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${startYear}-${pad(startMonth)}-${pad(Math.min(day, lastDay))}`;
};

/** A rate of the API (0.0123 is 1.23%) as a percentage with `places` places, half-even, exactly. */
export const formatRate = (rate: string, places = 2): string =>
  `${new Decimal(rate).times(100).toFixed(places)}%`;
