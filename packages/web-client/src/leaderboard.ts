import { TASK_METRICS, TASK_MODELS } from '@kupala/automl/catalog';
import { linearScale } from './history-chart';

export { TASK_METRICS, TASK_MODELS };

/**
 * View logic of the AutoML lab: PyCaret's metric columns per task, which way each metric is better, sorting the
 * leaderboard by a chosen metric, the bar chart's geometry and the run's progress. Metrics arrive as JSON numbers
 * (means over folds, not money): they are shown rounded to 4 places, never re-parsed from text.
 */
export type LabTask = 'regression' | 'classification';

/** The metric PyCaret sorts by (and the API's leaderboard order): R2 for regression, Accuracy for classification. */
export const DEFAULT_METRIC: Record<LabTask, string> = { regression: 'R2', classification: 'Accuracy' };

/** Errors are better low; scores (R2 and every classification metric) are better high. */
const LOWER_IS_BETTER = new Set(['MAE', 'MSE', 'RMSE', 'RMSLE', 'MAPE']);
export const higherIsBetter = (metric: string): boolean => !LOWER_IS_BETTER.has(metric);

export interface LeaderboardRow {
  model: string;
  name: string;
  metrics: Record<string, number | null>;
  fitSeconds: number;
}

/**
 * The leaderboard best first by `metric` (descending for scores, ascending for errors); a model without that
 * metric (null: undefined on some fold) goes last; ties keep the API's order (a stable sort).
 */
export const sortLeaderboard = <T extends LeaderboardRow>(rows: readonly T[], metric: string): T[] => {
  const direction = higherIsBetter(metric) ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.metrics[metric] ?? null;
    const y = b.metrics[metric] ?? null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x === y ? 0 : (x < y ? -1 : 1) * direction;
  });
};

/** A metric as shown: 4 places, a null as "—". */
export const formatMetric = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(4);

export interface Bar {
  model: string;
  name: string;
  value: number | null;
  /** Left edge and width in chart units; a model without the metric has width 0. */
  x: number;
  width: number;
  y: number;
}

export interface BarChart {
  bars: Bar[];
  /** Where zero is on the x axis (negative R2 or Kappa grows left of it). */
  zeroX: number;
  height: number;
}

/**
 * Horizontal bars of one metric, in the rows' order: the x scale spans [min(0, lowest), max(0, highest)] onto
 * [0, width], each bar drawn from zero to its value; rows are `barHeight` tall with `gap` between them.
 */
export const barChart = (
  rows: readonly LeaderboardRow[],
  metric: string,
  size: { width: number; barHeight: number; gap: number },
): BarChart => {
  const values = rows.map((row) => row.metrics[metric] ?? null);
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const low = Math.min(0, ...known);
  const high = Math.max(0, ...known);
  const x = low === high ? () => 0 : linearScale(low, high, 0, size.width);
  const zeroX = x(0);
  const bars = rows.map((row, index) => {
    const value = values[index] ?? null;
    const end = value === null || !Number.isFinite(value) ? zeroX : x(value);
    return {
      model: row.model,
      name: row.name,
      value,
      x: Math.min(zeroX, end),
      width: Math.abs(end - zeroX),
      y: index * (size.barHeight + size.gap),
    };
  });
  const height = rows.length === 0 ? 0 : rows.length * size.barHeight + (rows.length - 1) * size.gap;
  return { bars, zeroX, height };
};

export interface RunProgress {
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  completed: number;
  total: number;
  updatedAt: string;
}

/** Whichever of two sightings of a run (a push, a poll) is newer; a redelivered older push never wins. */
export const latestProgress = <T extends RunProgress>(current: T | undefined, next: T): T =>
  current === undefined || next.updatedAt >= current.updatedAt ? next : current;

/** The bar's percentage: families completed of the total, floored; a finished run is 100. */
export const progressPercent = (progress: RunProgress | undefined): number => {
  if (progress === undefined) return 0;
  if (progress.status === 'SUCCEEDED' || progress.status === 'FAILED') return 100;
  return progress.total === 0 ? 0 : Math.floor((100 * progress.completed) / progress.total);
};

/** A file's bytes as base64 (XLSX datasets travel inline as base64), in chunks so large files never overflow. */
export const bytesToBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
};
