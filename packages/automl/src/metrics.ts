import type { DenseMatrix } from './matrix';

/** PyCaret's regression columns. */
export interface RegressionMetrics {
  MAE: number;
  MSE: number;
  RMSE: number;
  R2: number;
  RMSLE: number;
  MAPE: number;
}

/** PyCaret's classification columns. */
export interface ClassificationMetrics {
  Accuracy: number;
  AUC: number;
  Recall: number;
  Precision: number;
  F1: number;
  Kappa: number;
  MCC: number;
}

export { CLASSIFICATION_METRIC_NAMES, REGRESSION_METRIC_NAMES } from './catalog';

const assertSameLength = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`need two non-empty vectors of one length, got ${a.length} and ${b.length}`);
};

/**
 * Regression metrics as PyCaret computes them: RMSLE on absolute values (sqrt of mean (log1p|ŷ| − log1p|y|)²), MAPE
 * as the mean of |y − ŷ| / |y| over the rows where y ≠ 0 (0 when every y is 0), R2 of a constant target 1 when
 * the fit is perfect and 0 otherwise (scikit-learn's convention).
 */
export const regressionMetrics = (
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionMetrics => {
  assertSameLength(actual, predicted);
  const n = actual.length;
  let absolute = 0;
  let squared = 0;
  let squaredLog = 0;
  let percentage = 0;
  let nonZero = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += actual[i] as number;
  const meanActual = sum / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i] as number;
    const error = y - (predicted[i] as number);
    absolute += Math.abs(error);
    squared += error * error;
    const logError = Math.log1p(Math.abs(predicted[i] as number)) - Math.log1p(Math.abs(y));
    squaredLog += logError * logError;
    if (y !== 0) {
      percentage += Math.abs(error) / Math.abs(y);
      nonZero++;
    }
    total += (y - meanActual) ** 2;
  }
  const mse = squared / n;
  const r2 = total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total;
  return {
    MAE: absolute / n,
    MSE: mse,
    RMSE: Math.sqrt(mse),
    R2: r2,
    RMSLE: Math.sqrt(squaredLog / n),
    MAPE: nonZero === 0 ? 0 : percentage / nonZero,
  };
};

/** Index of the largest value of each row (the first on ties). */
export const argmaxRows = (probabilities: DenseMatrix): Int32Array => {
  const out = new Int32Array(probabilities.rows);
  for (let r = 0; r < probabilities.rows; r++) {
    let best = 0;
    for (let c = 1; c < probabilities.cols; c++)
      if (
        (probabilities.data[r * probabilities.cols + c] as number) >
        (probabilities.data[r * probabilities.cols + best] as number)
      )
        best = c;
    out[r] = best;
  }
  return out;
};

/** Area under the ROC curve of scores for `positive` (Mann–Whitney with average ranks on ties); NaN with one class. */
export const rocAuc = (isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): number => {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (isPositive[order[i] as number]) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
};

const safeDivide = (numerator: number, denominator: number) =>
  denominator === 0 ? 0 : numerator / denominator;

/**
 * Classification metrics as PyCaret reports them. Binary (2 classes): Recall, Precision and F1 of class 1 and the
 * AUC of its probability. More classes: those three are averaged weighted by support, AUC is one-vs-rest weighted
 * by support. Kappa is Cohen's, MCC the multiclass Matthews coefficient; undefined ratios count 0.
 */
export const classificationMetrics = (
  actual: Int32Array,
  probabilities: DenseMatrix,
  predicted: Int32Array = argmaxRows(probabilities),
): ClassificationMetrics => {
  assertSameLength(actual, predicted);
  const n = actual.length;
  const k = probabilities.cols;
  const confusion = new Float64Array(k * k);
  for (let i = 0; i < n; i++)
    confusion[(actual[i] as number) * k + (predicted[i] as number)] =
      (confusion[(actual[i] as number) * k + (predicted[i] as number)] as number) + 1;
  const support = new Float64Array(k);
  const predictedCount = new Float64Array(k);
  let correct = 0;
  for (let a = 0; a < k; a++)
    for (let p = 0; p < k; p++) {
      const count = confusion[a * k + p] as number;
      support[a] = (support[a] as number) + count;
      predictedCount[p] = (predictedCount[p] as number) + count;
      if (a === p) correct += count;
    }
  const perClass = (c: number) => {
    const truePositives = confusion[c * k + c] as number;
    const recall = safeDivide(truePositives, support[c] as number);
    const precision = safeDivide(truePositives, predictedCount[c] as number);
    return { recall, precision, f1: safeDivide(2 * precision * recall, precision + recall) };
  };
  const scoresOf = (c: number) =>
    Array.from({ length: n }, (_, i) => probabilities.data[i * k + c] as number);
  let recall: number;
  let precision: number;
  let f1: number;
  let auc: number;
  if (k === 2) {
    ({ recall, precision, f1 } = perClass(1));
    auc = rocAuc(
      Array.from(actual, (label) => label === 1),
      scoresOf(1),
    );
  } else {
    recall = 0;
    precision = 0;
    f1 = 0;
    auc = 0;
    let aucWeight = 0;
    for (let c = 0; c < k; c++) {
      const weight = (support[c] as number) / n;
      const scores = perClass(c);
      recall += weight * scores.recall;
      precision += weight * scores.precision;
      f1 += weight * scores.f1;
      if (weight > 0) {
        const classAuc = rocAuc(
          Array.from(actual, (label) => label === c),
          scoresOf(c),
        );
        if (Number.isFinite(classAuc)) {
          auc += weight * classAuc;
          aucWeight += weight;
        }
      }
    }
    auc = aucWeight === 0 ? Number.NaN : auc / aucWeight;
  }
  const accuracy = correct / n;
  let chance = 0;
  for (let c = 0; c < k; c++) chance += ((support[c] as number) * (predictedCount[c] as number)) / (n * n);
  const kappa = chance === 1 ? 0 : (accuracy - chance) / (1 - chance);
  let sumSupportPredicted = 0;
  let sumSupportSquared = 0;
  let sumPredictedSquared = 0;
  for (let c = 0; c < k; c++) {
    sumSupportPredicted += (support[c] as number) * (predictedCount[c] as number);
    sumSupportSquared += (support[c] as number) ** 2;
    sumPredictedSquared += (predictedCount[c] as number) ** 2;
  }
  const mccDenominator = Math.sqrt((n * n - sumPredictedSquared) * (n * n - sumSupportSquared));
  const mcc = mccDenominator === 0 ? 0 : (correct * n - sumSupportPredicted) / mccDenominator;
  return {
    Accuracy: accuracy,
    AUC: auc,
    Recall: recall,
    Precision: precision,
    F1: f1,
    Kappa: kappa,
    MCC: mcc,
  };
};
