import type { DenseMatrix } from '../matrix';
import type { Random } from '../random';

export interface RegressionModel {
  predict(x: DenseMatrix): Float64Array;
}

/** Probabilities per class (rows × classes, each row sums to 1). */
export interface ClassificationModel {
  predictProba(x: DenseMatrix): DenseMatrix;
}

export interface Regressor {
  fit(x: DenseMatrix, y: Float64Array, random: Random): RegressionModel;
}

export interface Classifier {
  fit(x: DenseMatrix, y: Int32Array, classes: number, random: Random): ClassificationModel;
}

/** Row-wise softmax of scores, in place. */
export const softmaxRows = (scores: DenseMatrix): DenseMatrix => {
  const { rows, cols, data } = scores;
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[r * cols + c] as number);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const value = Math.exp((data[r * cols + c] as number) - max);
      data[r * cols + c] = value;
      sum += value;
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = (data[r * cols + c] as number) / sum;
  }
  return scores;
};

export const classCounts = (y: Int32Array, classes: number): Float64Array => {
  const counts = new Float64Array(classes);
  for (const label of y) counts[label] = (counts[label] as number) + 1;
  return counts;
};
