import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Classifier, classCounts, softmaxRows } from './types';

/**
 * Linear discriminant analysis: class means, the pooled within-class covariance Σ and scores
 * xᵀΣ⁻¹μₖ − ½μₖᵀΣ⁻¹μₖ + log πₖ, softmaxed. Σ is inverted on the correlation scale, dropping directions whose
 * eigenvalue is below 1e-8 (collinear one-hot levels, constant columns), as the SVD solver's rank cut does.
 */
export const linearDiscriminant = (): Classifier => ({
  fit(x, y, classes) {
    const { rows: n, cols: p, data } = x;
    const counts = classCounts(y, classes);
    const means = new Float64Array(classes * p);
    for (let r = 0; r < n; r++) {
      const k = y[r] as number;
      for (let j = 0; j < p; j++)
        means[k * p + j] = (means[k * p + j] as number) + (data[r * p + j] as number);
    }
    for (let k = 0; k < classes; k++)
      for (let j = 0; j < p; j++)
        means[k * p + j] = (means[k * p + j] as number) / Math.max(1, counts[k] as number);
    const covariance = new Float64Array(p * p);
    const deviation = new Float64Array(p);
    for (let r = 0; r < n; r++) {
      const k = y[r] as number;
      for (let j = 0; j < p; j++) deviation[j] = (data[r * p + j] as number) - (means[k * p + j] as number);
      for (let i = 0; i < p; i++) {
        const di = deviation[i] as number;
        if (di === 0) continue;
        for (let j = i; j < p; j++)
          covariance[i * p + j] = (covariance[i * p + j] as number) + di * (deviation[j] as number);
      }
    }
    const dof = Math.max(1, n - classes);
    for (let i = 0; i < p; i++)
      for (let j = i; j < p; j++) {
        const value = (covariance[i * p + j] as number) / dof;
        covariance[i * p + j] = value;
        covariance[j * p + i] = value;
      }
    const scale = Float64Array.from({ length: p }, (_, j) => {
      const sd = Math.sqrt(covariance[j * p + j] as number);
      return sd > 1e-12 ? sd : 1;
    });
    const correlation = Array.from({ length: p }, (_, i) =>
      Array.from(
        { length: p },
        (_, j) => (covariance[i * p + j] as number) / ((scale[i] as number) * (scale[j] as number)),
      ),
    );
    const eigen = new EigenvalueDecomposition(new Matrix(correlation), { assumeSymmetric: true });
    const vectors = eigen.eigenvectorMatrix;
    const values = eigen.realEigenvalues;
    // Σ⁻¹ = D⁻¹ V Λ⁺ Vᵀ D⁻¹ with D the standard deviations.
    const inverse = new Float64Array(p * p);
    values.forEach((value, m) => {
      if (value <= 1e-8) return;
      for (let i = 0; i < p; i++) {
        const vi = vectors.get(i, m) / value;
        for (let j = 0; j < p; j++)
          inverse[i * p + j] = (inverse[i * p + j] as number) + vi * vectors.get(j, m);
      }
    });
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++)
        inverse[i * p + j] = (inverse[i * p + j] as number) / ((scale[i] as number) * (scale[j] as number));
    const coefficients = new Float64Array(classes * p);
    const intercepts = new Float64Array(classes);
    for (let k = 0; k < classes; k++) {
      let quadratic = 0;
      for (let i = 0; i < p; i++) {
        let sum = 0;
        for (let j = 0; j < p; j++) sum += (inverse[i * p + j] as number) * (means[k * p + j] as number);
        coefficients[k * p + i] = sum;
        quadratic += sum * (means[k * p + i] as number);
      }
      const prior = (counts[k] as number) / n;
      intercepts[k] = -quadratic / 2 + (prior > 0 ? Math.log(prior) : -1e300);
    }
    return {
      predictProba(test) {
        const out = new Float64Array(test.rows * classes);
        for (let r = 0; r < test.rows; r++)
          for (let k = 0; k < classes; k++) {
            let score = intercepts[k] as number;
            for (let j = 0; j < p; j++)
              score += (test.data[r * p + j] as number) * (coefficients[k * p + j] as number);
            out[r * classes + k] = score;
          }
        return softmaxRows({ rows: test.rows, cols: classes, data: out });
      },
    };
  },
});

/**
 * Gaussian naive Bayes over every feature: per class the mean and variance of each feature, variances widened by
 * 1e-9 × the largest feature variance (scikit-learn's var_smoothing).
 */
export const gaussianNaiveBayes = (): Classifier => ({
  fit(x, y, classes) {
    const { rows: n, cols: p, data } = x;
    const counts = classCounts(y, classes);
    const means = new Float64Array(classes * p);
    const variances = new Float64Array(classes * p);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < p; j++)
        means[(y[r] as number) * p + j] =
          (means[(y[r] as number) * p + j] as number) + (data[r * p + j] as number);
    for (let k = 0; k < classes; k++)
      for (let j = 0; j < p; j++)
        means[k * p + j] = (means[k * p + j] as number) / Math.max(1, counts[k] as number);
    for (let r = 0; r < n; r++)
      for (let j = 0; j < p; j++) {
        const k = y[r] as number;
        variances[k * p + j] =
          (variances[k * p + j] as number) +
          ((data[r * p + j] as number) - (means[k * p + j] as number)) ** 2;
      }
    let largestVariance = 0;
    for (let j = 0; j < p; j++) {
      let sum = 0;
      let squares = 0;
      for (let r = 0; r < n; r++) {
        sum += data[r * p + j] as number;
        squares += (data[r * p + j] as number) ** 2;
      }
      largestVariance = Math.max(largestVariance, squares / n - (sum / n) ** 2);
    }
    const epsilon = 1e-9 * largestVariance;
    for (let k = 0; k < classes; k++)
      for (let j = 0; j < p; j++)
        variances[k * p + j] = (variances[k * p + j] as number) / Math.max(1, counts[k] as number) + epsilon;
    const logPriors = Float64Array.from(counts, (count) => (count > 0 ? Math.log(count / n) : -1e300));
    const logNormalizers = Float64Array.from({ length: classes }, (_, k) => {
      let sum = 0;
      for (let j = 0; j < p; j++) sum += Math.log(2 * Math.PI * (variances[k * p + j] as number) || 1e-300);
      return -sum / 2;
    });
    return {
      predictProba(test) {
        const out = new Float64Array(test.rows * classes);
        for (let r = 0; r < test.rows; r++)
          for (let k = 0; k < classes; k++) {
            let score = (logPriors[k] as number) + (logNormalizers[k] as number);
            for (let j = 0; j < p; j++) {
              const variance = variances[k * p + j] as number;
              if (variance === 0) continue;
              score -=
                ((test.data[r * p + j] as number) - (means[k * p + j] as number)) ** 2 / (2 * variance);
            }
            out[r * classes + k] = score;
          }
        return softmaxRows({ rows: test.rows, cols: classes, data: out });
      },
    };
  },
});
