import type { DenseMatrix } from '../matrix';
import type { Classifier, Regressor } from './types';

/** Test rows compared with each training row together: each training value is loaded once for the four of them. */
const GROUP = 4;

/**
 * Keeps `distance` to training row `r` in the sorted list of the k best at `slot` if it beats the worst (ties keep
 * the earlier training row, as scikit-learn's stable ordering does for equal distances).
 */
const insert = (
  bestDistance: Float64Array,
  bestIndex: Int32Array,
  slot: number,
  neighbours: number,
  distance: number,
  r: number,
) => {
  if (distance >= (bestDistance[slot + neighbours - 1] as number)) return;
  let at = neighbours - 1;
  while (at > 0 && (bestDistance[slot + at - 1] as number) > distance) {
    bestDistance[slot + at] = bestDistance[slot + at - 1] as number;
    bestIndex[slot + at] = bestIndex[slot + at - 1] as number;
    at--;
  }
  bestDistance[slot + at] = distance;
  bestIndex[slot + at] = r;
};

/**
 * Indices of the k training rows nearest (Euclidean) to each test row, by brute force over typed arrays: four test
 * rows at a time against every training row (four independent sums, so the additions overlap instead of waiting on
 * one another), each test row keeping its k best in a sorted insertion list. Each distance is summed over the
 * features in order, as one row at a time would.
 */
const nearest = (train: DenseMatrix, test: DenseMatrix, k: number): Int32Array => {
  const p = train.cols;
  const neighbours = Math.min(k, train.rows);
  const out = new Int32Array(test.rows * neighbours);
  const bestDistance = new Float64Array(GROUP * neighbours);
  const bestIndex = new Int32Array(GROUP * neighbours);
  const trainData = train.data;
  const testData = test.data;
  const whole = test.rows - (test.rows % GROUP);
  for (let first = 0; first < whole; first += GROUP) {
    bestDistance.fill(Number.POSITIVE_INFINITY);
    const q0 = first * p;
    const q1 = q0 + p;
    const q2 = q1 + p;
    const q3 = q2 + p;
    for (let r = 0; r < train.rows; r++) {
      const base = r * p;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let j = 0; j < p; j++) {
        const value = trainData[base + j] as number;
        const e0 = (testData[q0 + j] as number) - value;
        const e1 = (testData[q1 + j] as number) - value;
        const e2 = (testData[q2 + j] as number) - value;
        const e3 = (testData[q3 + j] as number) - value;
        d0 += e0 * e0;
        d1 += e1 * e1;
        d2 += e2 * e2;
        d3 += e3 * e3;
      }
      insert(bestDistance, bestIndex, 0, neighbours, d0, r);
      insert(bestDistance, bestIndex, neighbours, neighbours, d1, r);
      insert(bestDistance, bestIndex, 2 * neighbours, neighbours, d2, r);
      insert(bestDistance, bestIndex, 3 * neighbours, neighbours, d3, r);
    }
    out.set(bestIndex.subarray(0, GROUP * neighbours), first * neighbours);
  }
  for (let t = whole; t < test.rows; t++) {
    bestDistance.fill(Number.POSITIVE_INFINITY);
    const q = t * p;
    for (let r = 0; r < train.rows; r++) {
      const base = r * p;
      let distance = 0;
      for (let j = 0; j < p; j++) {
        const difference = (testData[q + j] as number) - (trainData[base + j] as number);
        distance += difference * difference;
      }
      insert(bestDistance, bestIndex, 0, neighbours, distance, r);
    }
    out.set(bestIndex.subarray(0, neighbours), t * neighbours);
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
