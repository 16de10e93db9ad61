import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { contiguousFolds, foldRows } from '../folds';
import {
  centerColumns,
  columnMeans,
  type DenseMatrix,
  gram,
  linearPredict,
  mean,
  takeRows,
  takeValues,
  transposeTimes,
} from '../matrix';
import type { Regressor } from './types';

/** Eigen-decomposition of a symmetric p × p matrix: values, and vectors as columns of a row-major p × p array. */
const symmetricEigen = (matrix: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } => {
  const rows = Array.from({ length: p }, (_, i) => Array.from(matrix.subarray(i * p, (i + 1) * p)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  return {
    values: Float64Array.from(decomposition.realEigenvalues, (value) => Math.max(0, value)),
    vectors: Float64Array.from(decomposition.eigenvectorMatrix.to1DArray()),
  };
};

/** V diag(f(λ)) Vᵀ c: a spectral solve of G w = c with f = 1/λ (or 1/(λ+α)). */
const spectralSolve = (
  eigen: { values: Float64Array; vectors: Float64Array },
  c: Float64Array,
  inverse: (value: number) => number,
): Float64Array => {
  const p = c.length;
  const projected = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let sum = 0;
    for (let i = 0; i < p; i++) sum += (eigen.vectors[i * p + j] as number) * (c[i] as number);
    projected[j] = sum * inverse(eigen.values[j] as number);
  }
  const w = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = 0;
    for (let j = 0; j < p; j++) sum += (eigen.vectors[i * p + j] as number) * (projected[j] as number);
    w[i] = sum;
  }
  return w;
};

const linearModel = (weights: Float64Array, means: Float64Array, yMean: number) => {
  let intercept = yMean;
  for (let j = 0; j < weights.length; j++) intercept -= (weights[j] as number) * (means[j] as number);
  return { weights, intercept, predict: (x: DenseMatrix) => linearPredict(x, weights, intercept) };
};

const centered = (x: DenseMatrix, y: Float64Array) => {
  const means = columnMeans(x);
  const yMean = mean(y);
  return { xc: centerColumns(x, means), yc: y.map((value) => value - yMean), means, yMean };
};

/**
 * Ordinary least squares with an intercept; with collinear features (e.g. every one-hot level) it answers the
 * minimum-norm solution, as scikit-learn's lstsq does.
 */
export const linearRegression = (): Regressor => ({
  fit(x, y) {
    const { xc, yc, means, yMean } = centered(x, y);
    const eigen = symmetricEigen(gram(xc), x.cols);
    const largest = eigen.values.reduce((max, value) => Math.max(max, value), 0);
    const cutoff = largest * 1e-10;
    const weights = spectralSolve(eigen, transposeTimes(xc, yc), (value) => (value > cutoff ? 1 / value : 0));
    return linearModel(weights, means, yMean);
  },
});

/** 13 strengths from 1e-3 to 1e3, half a decade apart: the ridge grid (the bench's scikit-learn reference uses it too). */
export const RIDGE_ALPHAS: readonly number[] = Array.from({ length: 13 }, (_, i) => 10 ** (-3 + i / 2));

/**
 * Ridge regression whose strength is chosen among `alphas` by exact leave-one-out error (as RidgeCV does), computed
 * for every alpha from one eigen-decomposition of the centered Gram matrix: with Z = Xc V,
 * ŷᵢ = Σⱼ Zᵢⱼ qⱼ / (λⱼ + α), q = Zᵀ yc, and the hat diagonal hᵢᵢ = 1/n + Σⱼ Zᵢⱼ² / (λⱼ + α).
 */
export const ridgeCv = (alphas: readonly number[] = RIDGE_ALPHAS): Regressor & { lastAlpha?: number } => {
  const learner: Regressor & { lastAlpha?: number } = {
    fit(x, y) {
      const { xc, yc, means, yMean } = centered(x, y);
      const p = x.cols;
      const n = x.rows;
      const eigen = symmetricEigen(gram(xc), p);
      const z = new Float64Array(n * p);
      for (let r = 0; r < n; r++)
        for (let j = 0; j < p; j++) {
          let sum = 0;
          for (let i = 0; i < p; i++)
            sum += (xc.data[r * p + i] as number) * (eigen.vectors[i * p + j] as number);
          z[r * p + j] = sum;
        }
      const q = new Float64Array(p);
      for (let r = 0; r < n; r++)
        for (let j = 0; j < p; j++) q[j] = (q[j] as number) + (z[r * p + j] as number) * (yc[r] as number);
      let bestAlpha = alphas[0] ?? 1;
      let bestError = Number.POSITIVE_INFINITY;
      for (const alpha of alphas) {
        const shrink = eigen.values.map((value) => 1 / (value + alpha));
        let error = 0;
        for (let r = 0; r < n; r++) {
          let fitted = 0;
          let leverage = 1 / n;
          for (let j = 0; j < p; j++) {
            const zrj = z[r * p + j] as number;
            fitted += zrj * (q[j] as number) * (shrink[j] as number);
            leverage += zrj * zrj * (shrink[j] as number);
          }
          error += (((yc[r] as number) - fitted) / (1 - leverage)) ** 2;
        }
        if (error < bestError) {
          bestError = error;
          bestAlpha = alpha;
        }
      }
      learner.lastAlpha = bestAlpha;
      const weights = spectralSolve(eigen, transposeTimes(xc, yc), (value) => 1 / (value + bestAlpha));
      return linearModel(weights, means, yMean);
    },
  };
  return learner;
};

/**
 * Coordinate descent on the Gram matrix for (1/2n)‖y − Xw‖² + αρ‖w‖₁ + α(1−ρ)/2 ‖w‖², warm-started from `w`
 * (updated in place, with `gw` = G w kept in step).
 */
const coordinateDescent = (
  g: Float64Array,
  c: Float64Array,
  n: number,
  alpha: number,
  rho: number,
  w: Float64Array,
  gw: Float64Array,
  maxSweeps = 1000,
  tolerance = 1e-6,
): void => {
  const p = c.length;
  const l1 = alpha * rho * n;
  const l2 = alpha * (1 - rho) * n;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let maxDelta = 0;
    let maxWeight = 0;
    for (let j = 0; j < p; j++) {
      const gjj = g[j * p + j] as number;
      if (gjj === 0) continue;
      const old = w[j] as number;
      const rhoJ = (c[j] as number) - (gw[j] as number) + gjj * old;
      const updated = (Math.sign(rhoJ) * Math.max(Math.abs(rhoJ) - l1, 0)) / (gjj + l2);
      const delta = updated - old;
      if (delta !== 0) {
        w[j] = updated;
        for (let i = 0; i < p; i++) gw[i] = (gw[i] as number) + delta * (g[i * p + j] as number);
      }
      maxDelta = Math.max(maxDelta, Math.abs(delta));
      maxWeight = Math.max(maxWeight, Math.abs(updated));
    }
    if (maxDelta === 0 || maxDelta <= tolerance * maxWeight) return;
  }
};

export interface ElasticNetCvOptions {
  readonly l1Ratios: readonly number[];
  readonly alphasPerPath?: number;
  /** Smallest alpha of a path as a fraction of the largest (scikit-learn's `eps`). */
  readonly pathRatio?: number;
  readonly innerFolds?: number;
}

/**
 * Elastic net (lasso with `l1Ratios: [1]`) as ElasticNetCV chooses it: for each l1 ratio a path of 100 alphas from
 * the smallest alpha that zeroes every weight down to 1e-3 of it, scored by mean squared error over 5 contiguous
 * inner folds; the best (alpha, ratio) is refitted on all the rows given.
 */
export const elasticNetCv = (
  options: ElasticNetCvOptions,
): Regressor & { lastChoice?: { alpha: number; l1Ratio: number } } => {
  const pathLength = options.alphasPerPath ?? 100;
  const pathRatio = options.pathRatio ?? 1e-3;
  const innerFolds = options.innerFolds ?? 5;
  const learner: Regressor & { lastChoice?: { alpha: number; l1Ratio: number } } = {
    fit(x, y) {
      const n = x.rows;
      const p = x.cols;
      const full = centered(x, y);
      const correlation = transposeTimes(full.xc, full.yc);
      const maxCorrelation = correlation.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      const paths = options.l1Ratios.map((rho) => {
        const top = Math.max(maxCorrelation / (n * rho), 1e-12);
        return Array.from({ length: pathLength }, (_, i) => top * pathRatio ** (i / (pathLength - 1)));
      });
      const errors = paths.map((path) => new Float64Array(path.length));
      const assignment = contiguousFolds(n, innerFolds);
      for (let fold = 0; fold < innerFolds; fold++) {
        const { train, test } = foldRows(assignment, fold);
        const inner = centered(takeRows(x, train), takeValues(y, train));
        const g = gram(inner.xc);
        const c = transposeTimes(inner.xc, inner.yc);
        // The validation error of any w from the validation rows' own Gram matrix and covariance (p² per alpha, not
        // a pass over the rows): Σ (r₀ − Xv w)² = r₀ᵀr₀ − 2 wᵀ(Xvᵀ r₀) + wᵀ (XvᵀXv) w, r₀ = y − ȳ_train.
        const validation = centerColumns(takeRows(x, test), inner.means);
        const residual = takeValues(y, test).map((value) => value - inner.yMean);
        const validationGram = gram(validation);
        const validationCovariance = transposeTimes(validation, residual);
        let residualSquares = 0;
        for (const value of residual) residualSquares += value * value;
        options.l1Ratios.forEach((rho, ratioIndex) => {
          const w = new Float64Array(p);
          const gw = new Float64Array(p);
          (paths[ratioIndex] ?? []).forEach((alpha, alphaIndex) => {
            coordinateDescent(g, c, train.length, alpha, rho, w, gw);
            let squared = residualSquares;
            for (let i = 0; i < p; i++) {
              const wi = w[i] as number;
              if (wi === 0) continue;
              let quadratic = 0;
              for (let j = 0; j < p; j++)
                quadratic += (validationGram[i * p + j] as number) * (w[j] as number);
              squared += wi * (quadratic - 2 * (validationCovariance[i] as number));
            }
            const row = errors[ratioIndex] as Float64Array;
            row[alphaIndex] = (row[alphaIndex] as number) + squared / residual.length / innerFolds;
          });
        });
      }
      let best = { ratioIndex: 0, alphaIndex: 0, error: Number.POSITIVE_INFINITY };
      errors.forEach((row, ratioIndex) => {
        row.forEach((error, alphaIndex) => {
          if (error < best.error) best = { ratioIndex, alphaIndex, error };
        });
      });
      const rho = options.l1Ratios[best.ratioIndex] ?? 1;
      const path = paths[best.ratioIndex] ?? [];
      const g = gram(full.xc);
      const w = new Float64Array(p);
      const gw = new Float64Array(p);
      // Walk the path down to the chosen alpha, warm-starting as the search did.
      for (let i = 0; i <= best.alphaIndex; i++)
        coordinateDescent(g, correlation, n, path[i] ?? 0, rho, w, gw);
      learner.lastChoice = { alpha: path[best.alphaIndex] ?? 0, l1Ratio: rho };
      return linearModel(w, full.means, full.yMean);
    },
  };
  return learner;
};

/** The l1 ratios the elastic net chooses among. */
export const ELASTIC_NET_L1_RATIOS: readonly number[] = [0.1, 0.5, 0.9];
