import type { Frame } from './frame';
import type { DenseMatrix } from './matrix';

/** The target of a fit: numbers for regression, class indices (0…k−1) for classification. */
export type TargetValues =
  | { readonly task: 'regression'; readonly values: Float64Array }
  | { readonly task: 'classification'; readonly values: Int32Array; readonly classes: number };

export interface PreprocessOptions {
  /** Standardize every output column (mean 0, variance 1 on the training rows): for scale-sensitive learners. */
  readonly scale: boolean;
  /** Categoricals with more distinct training values than this are target encoded instead of one-hot. */
  readonly maxOneHotLevels?: number;
  /** Pseudo-count pulling a rare category's target encoding towards the overall mean. */
  readonly targetSmoothing?: number;
}

export interface Preprocessor {
  readonly featureNames: readonly string[];
  /** Encodes rows of the frame the preprocessor was fitted on (fitted on some rows, applied to others). */
  transform(rows: ArrayLike<number>): DenseMatrix;
}

interface ColumnEncoder {
  readonly names: readonly string[];
  /** Writes this column's outputs of frame row `row` at `out[offset…]`. */
  write(row: number, out: Float64Array, offset: number): void;
}

const DEFAULT_MAX_ONE_HOT = 25;
const DEFAULT_SMOOTHING = 10;

const median = (values: number[]): number => {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] as number)
    : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
};

/** Most frequent label (ties: the first in sorted order), for imputing a categorical. */
const mostFrequent = (counts: Map<string, number>): string | null => {
  let best: string | null = null;
  let bestCount = -1;
  for (const label of [...counts.keys()].sort()) {
    const count = counts.get(label) ?? 0;
    if (count > bestCount) {
      best = label;
      bestCount = count;
    }
  }
  return best;
};

/** Per-category target statistics as output columns: the mean (regression) or class frequencies 1…k−1. */
const targetEncoder = (
  name: string,
  labels: readonly (string | null)[],
  rows: ArrayLike<number>,
  target: TargetValues,
  fill: string | null,
  smoothing: number,
): ColumnEncoder => {
  const channels = target.task === 'regression' ? 1 : target.classes - 1;
  const prior = new Float64Array(channels);
  const sums = new Map<string, Float64Array>();
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const label = labels[rows[i] as number] ?? fill;
    const sum = sums.get(label ?? '') ?? new Float64Array(channels);
    if (target.task === 'regression') sum[0] = (sum[0] as number) + (target.values[i] as number);
    else if ((target.values[i] as number) > 0)
      sum[(target.values[i] as number) - 1] = (sum[(target.values[i] as number) - 1] as number) + 1;
    sums.set(label ?? '', sum);
    counts.set(label ?? '', (counts.get(label ?? '') ?? 0) + 1);
  }
  for (const sum of sums.values())
    for (let c = 0; c < channels; c++) prior[c] = (prior[c] as number) + (sum[c] as number);
  for (let c = 0; c < channels; c++) prior[c] = (prior[c] as number) / Math.max(1, rows.length);
  const encoded = new Map<string, Float64Array>();
  for (const [label, sum] of sums) {
    const count = counts.get(label) ?? 0;
    encoded.set(
      label,
      Float64Array.from(sum, (s, c) => (s + smoothing * (prior[c] as number)) / (count + smoothing)),
    );
  }
  const names = channels === 1 ? [name] : Array.from({ length: channels }, (_, c) => `${name}=class${c + 1}`);
  return {
    names,
    write(row, out, offset) {
      out.set(encoded.get(labels[row] ?? fill ?? '') ?? prior, offset);
    },
  };
};

/**
 * Fits imputation (median / most frequent), categorical encoding (one-hot, or target encoding above
 * `maxOneHotLevels` levels) and optional standardization on the training rows only; `target` holds the targets of
 * exactly those rows. Answers the fitted preprocessor and the training matrix it produces.
 */
export const fitPreprocessor = (
  frame: Frame,
  rows: ArrayLike<number>,
  target: TargetValues,
  options: PreprocessOptions,
): { preprocessor: Preprocessor; train: DenseMatrix } => {
  const maxOneHot = options.maxOneHotLevels ?? DEFAULT_MAX_ONE_HOT;
  const encoders: ColumnEncoder[] = frame.columns.map((column): ColumnEncoder => {
    if (column.kind === 'numeric') {
      const present: number[] = [];
      for (let i = 0; i < rows.length; i++) {
        const value = column.values[rows[i] as number] as number;
        if (!Number.isNaN(value)) present.push(value);
      }
      const fill = median(present);
      return {
        names: [column.name],
        write(row, out, offset) {
          const value = column.values[row] as number;
          out[offset] = Number.isNaN(value) ? fill : value;
        },
      };
    }
    const counts = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const label = column.values[rows[i] as number];
      if (label !== null && label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const fill = mostFrequent(counts);
    if (counts.size > maxOneHot)
      return targetEncoder(
        column.name,
        column.values,
        rows,
        target,
        fill,
        options.targetSmoothing ?? DEFAULT_SMOOTHING,
      );
    const levels = [...counts.keys()].sort();
    const position = new Map(levels.map((level, index) => [level, index]));
    return {
      names: levels.map((level) => `${column.name}=${level}`),
      write(row, out, offset) {
        out.fill(0, offset, offset + levels.length);
        const index = position.get(column.values[row] ?? fill ?? '');
        // A level never seen in training encodes as all zeros.
        if (index !== undefined) out[offset + index] = 1;
      },
    };
  });
  const featureNames = encoders.flatMap((encoder) => encoder.names);
  const width = featureNames.length;
  const encode = (at: ArrayLike<number>): DenseMatrix => {
    const data = new Float64Array(at.length * width);
    for (let i = 0; i < at.length; i++) {
      let offset = i * width;
      for (const encoder of encoders) {
        encoder.write(at[i] as number, data, offset);
        offset += encoder.names.length;
      }
    }
    return { rows: at.length, cols: width, data };
  };
  const train = encode(rows);
  if (!options.scale) return { preprocessor: { featureNames, transform: encode }, train };

  const means = new Float64Array(width);
  const scales = new Float64Array(width);
  for (let r = 0; r < train.rows; r++)
    for (let j = 0; j < width; j++) means[j] = (means[j] as number) + (train.data[r * width + j] as number);
  for (let j = 0; j < width; j++) means[j] = (means[j] as number) / Math.max(1, train.rows);
  for (let r = 0; r < train.rows; r++)
    for (let j = 0; j < width; j++)
      scales[j] = (scales[j] as number) + ((train.data[r * width + j] as number) - (means[j] as number)) ** 2;
  for (let j = 0; j < width; j++) {
    const deviation = Math.sqrt((scales[j] as number) / Math.max(1, train.rows));
    // A constant column stays constant (scikit-learn's StandardScaler leaves its scale at 1).
    scales[j] = deviation > 1e-12 ? deviation : 1;
  }
  const standardize = (matrix: DenseMatrix): DenseMatrix => {
    for (let r = 0; r < matrix.rows; r++)
      for (let j = 0; j < width; j++) {
        const at = r * width + j;
        matrix.data[at] = ((matrix.data[at] as number) - (means[j] as number)) / (scales[j] as number);
      }
    return matrix;
  };
  return {
    preprocessor: { featureNames, transform: (at) => standardize(encode(at)) },
    train: standardize(train),
  };
};
