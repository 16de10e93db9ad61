import type { DenseMatrix } from '../matrix';
import type { Classifier, Regressor } from './types';

/** Indices of the k training rows nearest (Euclidean) to each test row, by brute force. */
const nearest = (train: DenseMatrix, test: DenseMatrix, k: number): Int32Array => {
  const p = train.cols;
  const neighbours = Math.min(k, train.rows);
  const out = new Int32Array(test.rows * neighbours);
  const bestDistance = new Float64Array(neighbours);
  const bestIndex = new Int32Array(neighbours);
  for (let t = 0; t < test.rows; t++) {
    bestDistance.fill(Number.POSITIVE_INFINITY);
    const testBase = t * p;
    for (let r = 0; r < train.rows; r++) {
      const trainBase = r * p;
      let distance = 0;
      const worst = bestDistance[neighbours - 1] as number;
      for (let j = 0; j < p && distance < worst; j++) {
        const difference = (test.data[testBase + j] as number) - (train.data[trainBase + j] as number);
        distance += difference * difference;
      }
      if (distance >= worst) continue;
      let at = neighbours - 1;
      while (at > 0 && (bestDistance[at - 1] as number) > distance) {
        bestDistance[at] = bestDistance[at - 1] as number;
        bestIndex[at] = bestIndex[at - 1] as number;
        at--;
      }
      bestDistance[at] = distance;
      bestIndex[at] = r;
    }
    out.set(bestIndex, t * neighbours);
  }
  return out;
};

/** k-nearest-neighbours regression: the mean target of the k nearest training rows (k = 5, uniform weights). */
export const kNeighborsRegressor = (k = 5): Regressor => ({
  fit(x, y) {
    return {
      predict(test) {
        const neighbours = Math.min(k, x.rows);
        const indices = nearest(x, test, k);
        return Float64Array.from({ length: test.rows }, (_, t) => {
          let sum = 0;
          for (let i = 0; i < neighbours; i++) sum += y[indices[t * neighbours + i] as number] as number;
          return sum / neighbours;
        });
      },
    };
  },
});

/** k-nearest-neighbours classification: class shares among the k nearest training rows (k = 5). */
export const kNeighborsClassifier = (k = 5): Classifier => ({
  fit(x, y, classes) {
    return {
      predictProba(test) {
        const neighbours = Math.min(k, x.rows);
        const indices = nearest(x, test, k);
        const data = new Float64Array(test.rows * classes);
        for (let t = 0; t < test.rows; t++)
          for (let i = 0; i < neighbours; i++)
            data[t * classes + (y[indices[t * neighbours + i] as number] as number)] =
              (data[t * classes + (y[indices[t * neighbours + i] as number] as number)] as number) +
              1 / neighbours;
        return { rows: test.rows, cols: classes, data };
      },
    };
  },
});
