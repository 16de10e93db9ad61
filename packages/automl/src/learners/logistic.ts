import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { foldRows, stratifiedContiguousFolds } from '../folds';
import { type DenseMatrix, takeRows, takeValues } from '../matrix';
import { argmaxRows } from '../metrics';
import type { Classifier } from './types';

/** Ten inverse strengths from 1e-4 to 1e4 (LogisticRegressionCV's default `Cs=10`). */
export const LOGISTIC_CS: readonly number[] = Array.from({ length: 10 }, (_, i) => 10 ** (-4 + (8 * i) / 9));

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

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

/** C Σ log-loss + ½‖w‖² (the intercept is not penalized), as scikit-learn's LogisticRegression minimizes. */
const objective = (z: Float64Array, target: Float64Array, beta: Float64Array, c: number, p: number) => {
  let loss = 0;
  for (let r = 0; r < z.length; r++)
    loss += softplus(z[r] as number) - (target[r] as number) * (z[r] as number);
  let penalty = 0;
  for (let j = 0; j < p; j++) penalty += (beta[j] as number) ** 2;
  return c * loss + penalty / 2;
};

/**
 * Binary L2 logistic regression by Newton's method with a backtracking line search; `beta` holds the weights then
 * the intercept and is the warm start.
 */
export const fitBinaryLogistic = (
  x: DenseMatrix,
  target: Float64Array,
  c: number,
  start?: Float64Array,
): Float64Array => {
  const p = x.cols;
  const size = p + 1;
  let beta = start ? Float64Array.from(start) : new Float64Array(size);
  let z = scores(x, beta);
  let value = objective(z, target, beta, c, p);
  for (let iteration = 0; iteration < 100; iteration++) {
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let r = 0; r < x.rows; r++) {
      const probability = sigmoid(z[r] as number);
      const residual = c * (probability - (target[r] as number));
      const weight = c * probability * (1 - probability);
      const base = r * p;
      for (let i = 0; i < p; i++) {
        const xi = x.data[base + i] as number;
        gradient[i] = (gradient[i] as number) + residual * xi;
        if (xi === 0) continue;
        const wxi = weight * xi;
        const row = i * size;
        for (let j = i; j < p; j++)
          hessian[row + j] = (hessian[row + j] as number) + wxi * (x.data[base + j] as number);
        hessian[row + p] = (hessian[row + p] as number) + wxi;
      }
      gradient[p] = (gradient[p] as number) + residual;
      hessian[p * size + p] = (hessian[p * size + p] as number) + weight;
    }
    for (let i = 0; i < p; i++) {
      gradient[i] = (gradient[i] as number) + (beta[i] as number);
      hessian[i * size + i] = (hessian[i * size + i] as number) + 1;
    }
    let gradientNorm = 0;
    for (const g of gradient) gradientNorm = Math.max(gradientNorm, Math.abs(g));
    // scikit-learn stops lbfgs at a gradient of 1e-4 on its objective scaled by 1/(C n); Newton gets far below it.
    if (gradientNorm < 1e-6 * c * x.rows) break;
    for (let i = 0; i < size; i++)
      for (let j = 0; j < i; j++) hessian[i * size + j] = hessian[j * size + i] as number;
    hessian[p * size + p] = (hessian[p * size + p] as number) + 1e-10;
    const rows = Array.from({ length: size }, (_, i) =>
      Array.from(hessian.subarray(i * size, (i + 1) * size)),
    );
    const step = new CholeskyDecomposition(new Matrix(rows))
      .solve(Matrix.columnVector(Array.from(gradient)))
      .to1DArray();
    let scale = 1;
    let accepted = false;
    for (let halving = 0; halving < 30; halving++) {
      const candidate = beta.map((value, i) => value - scale * (step[i] as number));
      const candidateZ = scores(x, candidate);
      const candidateValue = objective(candidateZ, target, candidate, c, p);
      if (candidateValue <= value) {
        const improvement = value - candidateValue;
        beta = candidate;
        z = candidateZ;
        value = candidateValue;
        accepted = improvement > 1e-12 * Math.max(1, Math.abs(value));
        break;
      }
      scale /= 2;
    }
    if (!accepted) break;
  }
  return beta;
};

/** One-vs-rest betas of a C; for two classes a single fit of class 1. */
const fitOneVsRest = (x: DenseMatrix, y: Int32Array, classes: number, c: number, starts?: Float64Array[]) => {
  const targets = classes === 2 ? [1] : Array.from({ length: classes }, (_, k) => k);
  return targets.map((k, i) =>
    fitBinaryLogistic(
      x,
      Float64Array.from(y, (label) => (label === k ? 1 : 0)),
      c,
      starts?.[i],
    ),
  );
};

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
      for (let r = 0; r < x.rows; r++) data[r * classes + k] = sigmoid(z[r] as number);
    });
    // One-vs-rest probabilities are normalized per row, as scikit-learn's ovr does.
    for (let r = 0; r < x.rows; r++) {
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += data[r * classes + k] as number;
      for (let k = 0; k < classes; k++)
        data[r * classes + k] = sum === 0 ? 1 / classes : (data[r * classes + k] as number) / sum;
    }
  }
  return { rows: x.rows, cols: classes, data };
};

/**
 * L2 logistic regression whose C is chosen among `cs` by accuracy over 5 stratified inner folds (as
 * LogisticRegressionCV with its default scoring), warm-starting along the grid; refitted on all rows given.
 */
export const logisticRegressionCv = (
  cs: readonly number[] = LOGISTIC_CS,
  innerFolds = 5,
): Classifier & { lastC?: number } => {
  const learner: Classifier & { lastC?: number } = {
    fit(x, y, classes) {
      const accuracy = new Float64Array(cs.length);
      const assignment = stratifiedContiguousFolds(y, innerFolds);
      for (let fold = 0; fold < innerFolds; fold++) {
        const { train, test } = foldRows(assignment, fold);
        const trainX = takeRows(x, train);
        const trainY = takeValues(y, train);
        const testX = takeRows(x, test);
        const testY = takeValues(y, test);
        let starts: Float64Array[] | undefined;
        cs.forEach((c, index) => {
          starts = fitOneVsRest(trainX, trainY, classes, c, starts);
          const predicted = argmaxRows(probabilities(testX, starts, classes));
          let correct = 0;
          for (let i = 0; i < testY.length; i++) if (predicted[i] === testY[i]) correct++;
          accuracy[index] = (accuracy[index] as number) + correct / testY.length / innerFolds;
        });
      }
      let bestIndex = 0;
      accuracy.forEach((value, index) => {
        if (value > (accuracy[bestIndex] as number)) bestIndex = index;
      });
      const c = cs[bestIndex] ?? 1;
      learner.lastC = c;
      const betas = fitOneVsRest(x, y, classes, c);
      return { predictProba: (data) => probabilities(data, betas, classes) };
    },
  };
  return learner;
};
