import type { DenseMatrix } from '../matrix';
import type { Classifier, Regressor } from './types';

/** Test rows compared with each training row while it is in cache (the training matrix is read once per block). */
const BLOCK = 8;

/**
 * Indices of the k training rows nearest (Euclidean) to each test row, by brute force over typed arrays: test rows
 * in blocks against every training row, each test row keeping its k best in a sorted insertion list (ties keep the
 * earlier training row, as scikit-learn's stable ordering does for equal distances).
 */
const nearest = (train: DenseMatrix, test: DenseMatrix, k: number): Int32Array => {
  const p = train.cols;
  const neighbours = Math.min(k, train.rows);
  const out = new Int32Array(test.rows * neighbours);
  const bestDistance = new Float64Array(BLOCK * neighbours);
  const bestIndex = new Int32Array(BLOCK * neighbours);
  const trainData = train.data;
  const testData = test.data;
  for (let first = 0; first < test.rows; first += BLOCK) {
    const size = Math.min(BLOCK, test.rows - first);
    bestDistance.fill(Number.POSITIVE_INFINITY);
    for (let r = 0; r < train.rows; r++) {
      const trainBase = r * p;
      for (let b = 0; b < size; b++) {
        const testBase = (first + b) * p;
        const slot = b * neighbours;
        const worst = bestDistance[slot + neighbours - 1] as number;
        let distance = 0;
        for (let j = 0; j < p; j++) {
          const difference = (testData[testBase + j] as number) - (trainData[trainBase + j] as number);
          distance += difference * difference;
        }
        if (distance >= worst) continue;
        let at = neighbours - 1;
        while (at > 0 && (bestDistance[slot + at - 1] as number) > distance) {
          bestDistance[slot + at] = bestDistance[slot + at - 1] as number;
          bestIndex[slot + at] = bestIndex[slot + at - 1] as number;
          at--;
        }
        bestDistance[slot + at] = distance;
        bestIndex[slot + at] = r;
      }
    }
    out.set(bestIndex.subarray(0, size * neighbours), first * neighbours);
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
