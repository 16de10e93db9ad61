import { foldRows, stratifiedContiguousFolds } from '../folds';
import { type DenseMatrix, takeRows, takeValues } from '../matrix';
import { argmaxRows } from '../metrics';
import { type LbfgsOptions, minimizeLbfgs, SCIPY_LBFGS } from './lbfgs';
import { type Classifier, softmaxRows } from './types';

/** Ten inverse strengths from 1e-4 to 1e4 (LogisticRegressionCV's default `Cs=10`). */
export const LOGISTIC_CS: readonly number[] = Array.from({ length: 10 }, (_, i) => 10 ** (-4 + (8 * i) / 9));

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

const scores = (x: DenseMatrix, beta: Float64Array): Float64Array => {
  const p = x.cols;
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let z = beta[p] as number;
    for (let j = 0; j < p; j++) z += (x.data[r * p + j] as number) * (beta[j] as number);
    out[r] = z;
  }
  return out;
};

/** scikit-learn's `tol` and `max_iter` of the reference (LogisticRegressionCV(max_iter=1000), tol 1e-4). */
const LOGISTIC_LBFGS: LbfgsOptions = { ...SCIPY_LBFGS, gtol: 1e-4, maxIterations: 1000 };

/**
 * Σ log-loss + ‖w‖² / (2C) and its gradient (the intercept, last, is not penalized): the objective scikit-learn
 * 1.2's lbfgs solver minimizes. One pass over the rows computes both.
 */
const binaryObjective =
  (x: DenseMatrix, target: Float64Array, c: number) =>
  (beta: Float64Array, gradient: Float64Array): number => {
    const p = x.cols;
    const data = x.data;
    gradient.fill(0);
    let loss = 0;
    let interceptGradient = 0;
    const intercept = beta[p] as number;
    for (let r = 0, base = 0; r < x.rows; r++, base += p) {
      let z = intercept;
      for (let j = 0; j < p; j++) z += (data[base + j] as number) * (beta[j] as number);
      const e = Math.exp(-Math.abs(z));
      const y = target[r] as number;
      // log(1 + e^z) - y z, and σ(z) - y
      loss += Math.max(z, 0) + Math.log1p(e) - y * z;
      const residual = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
      interceptGradient += residual;
      for (let j = 0; j < p; j++)
        gradient[j] = (gradient[j] as number) + residual * (data[base + j] as number);
    }
    let penalty = 0;
    for (let j = 0; j < p; j++) {
      const w = beta[j] as number;
      penalty += w * w;
      gradient[j] = (gradient[j] as number) + w / c;
    }
    gradient[p] = interceptGradient;
    return loss + penalty / (2 * c);
  };

/**
 * Binary L2 logistic regression by L-BFGS with scikit-learn's tolerance; `beta` holds the weights then the
 * intercept, and `start` (not modified) is the warm start.
 */
export const fitBinaryLogistic = (
  x: DenseMatrix,
  target: Float64Array,
  c: number,
  start?: Float64Array,
): Float64Array =>
  minimizeLbfgs(binaryObjective(x, target, c), start ?? new Float64Array(x.cols + 1), LOGISTIC_LBFGS).point;

/**
 * Σ_rows (log Σ_k e^{z_k} − z_label) + ‖W‖² / (2C) over K classes and its gradient: scikit-learn 1.2's multinomial
 * objective (`multi_class='auto'` with lbfgs and more than two classes). `beta` holds class k's weights then its
 * intercept at k × (p + 1); intercepts are not penalized.
 */
const multinomialObjective =
  (x: DenseMatrix, y: Int32Array, classes: number, c: number) =>
  (beta: Float64Array, gradient: Float64Array): number => {
    const p = x.cols;
    const stride = p + 1;
    const data = x.data;
    const z = new Float64Array(classes);
    gradient.fill(0);
    let loss = 0;
    for (let r = 0, base = 0; r < x.rows; r++, base += p) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < classes; k++) {
        const offset = k * stride;
        let value = beta[offset + p] as number;
        for (let j = 0; j < p; j++) value += (data[base + j] as number) * (beta[offset + j] as number);
        z[k] = value;
        if (value > max) max = value;
      }
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        const e = Math.exp((z[k] as number) - max);
        z[k] = e;
        sum += e;
      }
      const label = y[r] as number;
      // log Σ e^z − z_label, with z_label − max = log(e_label)
      loss += Math.log(sum) - Math.log(z[label] as number);
      for (let k = 0; k < classes; k++) {
        const residual = (z[k] as number) / sum - (k === label ? 1 : 0);
        const offset = k * stride;
        gradient[offset + p] = (gradient[offset + p] as number) + residual;
        for (let j = 0; j < p; j++)
          gradient[offset + j] = (gradient[offset + j] as number) + residual * (data[base + j] as number);
      }
    }
    let penalty = 0;
    for (let k = 0; k < classes; k++)
      for (let j = 0; j < p; j++) {
        const w = beta[k * stride + j] as number;
        penalty += w * w;
        gradient[k * stride + j] = (gradient[k * stride + j] as number) + w / c;
      }
    return loss + penalty / (2 * c);
  };

/** Multinomial L2 logistic regression by L-BFGS: one beta (weights then intercept) per class. */
export const fitMultinomialLogistic = (
  x: DenseMatrix,
  y: Int32Array,
  classes: number,
  c: number,
  starts?: readonly Float64Array[],
): Float64Array[] => {
  const stride = x.cols + 1;
  const start = new Float64Array(classes * stride);
  starts?.forEach((beta, k) => {
    start.set(beta, k * stride);
  });
  const { point } = minimizeLbfgs(multinomialObjective(x, y, classes, c), start, LOGISTIC_LBFGS);
  return Array.from({ length: classes }, (_, k) => point.slice(k * stride, (k + 1) * stride));
};

/** The betas of a C: two classes, one binary fit of class 1; more, the multinomial fit (as scikit-learn's 'auto'). */
const fitClasses = (x: DenseMatrix, y: Int32Array, classes: number, c: number, starts?: Float64Array[]) =>
  classes === 2
    ? [
        fitBinaryLogistic(
          x,
          Float64Array.from(y, (label) => (label === 1 ? 1 : 0)),
          c,
          starts?.[0],
        ),
      ]
    : fitMultinomialLogistic(x, y, classes, c, starts);

const probabilities = (x: DenseMatrix, betas: Float64Array[], classes: number): DenseMatrix => {
  const data = new Float64Array(x.rows * classes);
  if (classes === 2) {
    const z = scores(x, betas[0] as Float64Array);
    for (let r = 0; r < x.rows; r++) {
      const probability = sigmoid(z[r] as number);
      data[r * 2] = 1 - probability;
      data[r * 2 + 1] = probability;
    }
  } else {
    betas.forEach((beta, k) => {
      const z = scores(x, beta);
      for (let r = 0; r < x.rows; r++) data[r * classes + k] = z[r] as number;
    });
    softmaxRows({ rows: x.rows, cols: classes, data });
  }
  return { rows: x.rows, cols: classes, data };
};

/**
 * L2 logistic regression whose C is chosen among `cs` by accuracy over 5 stratified inner folds (as
 * LogisticRegressionCV with its default scoring and lbfgs: binary for two classes, multinomial beyond), warm-starting
 * along the grid; refitted on all rows given.
 */
export const logisticRegressionCv = (
  cs: readonly number[] = LOGISTIC_CS,
  innerFolds = 5,
): Classifier & { lastC?: number } => {
  const learner: Classifier & { lastC?: number } = {
    fit(x, y, classes) {
      const accuracy = new Float64Array(cs.length);
      const assignment = stratifiedContiguousFolds(y, innerFolds);
      // each inner fold's betas at every C: the refit starts from their mean at the chosen C, as scikit-learn's does
      const paths: Float64Array[][][] = [];
      for (let fold = 0; fold < innerFolds; fold++) {
        const { train, test } = foldRows(assignment, fold);
        const trainX = takeRows(x, train);
        const trainY = takeValues(y, train);
        const testX = takeRows(x, test);
        const testY = takeValues(y, test);
        let starts: Float64Array[] | undefined;
        const path: Float64Array[][] = [];
        cs.forEach((c, index) => {
          // warm start along the grid (ascending C), as LogisticRegressionCV's path does
          starts = fitClasses(trainX, trainY, classes, c, starts);
          path.push(starts);
          const predicted = argmaxRows(probabilities(testX, starts, classes));
          let correct = 0;
          for (let i = 0; i < testY.length; i++) if (predicted[i] === testY[i]) correct++;
          accuracy[index] = (accuracy[index] as number) + correct / testY.length / innerFolds;
        });
        paths.push(path);
      }
      let bestIndex = 0;
      accuracy.forEach((value, index) => {
        if (value > (accuracy[bestIndex] as number)) bestIndex = index;
      });
      const c = cs[bestIndex] ?? 1;
      learner.lastC = c;
      const starts = (classes === 2 ? [0] : Array.from({ length: classes }, (_, k) => k)).map((k) => {
        const mean = new Float64Array(x.cols + 1);
        for (const path of paths) {
          const beta = path[bestIndex]?.[k] as Float64Array;
          for (let j = 0; j < mean.length; j++)
            mean[j] = (mean[j] as number) + (beta[j] as number) / paths.length;
        }
        return mean;
      });
      const betas = fitClasses(x, y, classes, c, starts);
      return { predictProba: (data) => probabilities(data, betas, classes) };
    },
  };
  return learner;
};
