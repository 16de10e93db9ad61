import { type DenseMatrix, fromRows } from '../matrix';
import { argmaxRows, regressionMetrics } from '../metrics';
import { seededRandom } from '../random';
import { gaussianNaiveBayes, linearDiscriminant } from './discriminant';
import { dummyClassifier, dummyRegressor } from './dummy';
import {
  decisionTreeClassifier,
  decisionTreeRegressor,
  extraTreesClassifier,
  extraTreesRegressor,
  histGradientBoostingClassifier,
  histGradientBoostingRegressor,
  randomForestClassifier,
  randomForestRegressor,
} from './ensembles';
import { fitBinner } from './hist-tree';
import { elasticNetCv, linearRegression, ridgeCv } from './linear';
import { logisticRegressionCv } from './logistic';
import { kNeighborsClassifier, kNeighborsRegressor } from './neighbors';
import type { Classifier } from './types';

const random = seededRandom(11);
const uniformRows = (rows: number, cols: number) =>
  fromRows(Array.from({ length: rows }, () => Array.from({ length: cols }, () => random.next() * 4 - 2)));
const cell = (x: DenseMatrix, r: number, j: number) => x.data[r * x.cols + j] as number;

describe('linear learners on a noiseless linear target', () => {
  // y = 3 + 2·x0 − x1 + 0.5·x2 exactly (x3 is noise the fit must ignore)
  const x = uniformRows(200, 4);
  const y = Float64Array.from(
    { length: 200 },
    (_, r) => 3 + 2 * cell(x, r, 0) - cell(x, r, 1) + 0.5 * cell(x, r, 2),
  );
  const test = uniformRows(50, 4);
  const testY = Float64Array.from(
    { length: 50 },
    (_, r) => 3 + 2 * cell(test, r, 0) - cell(test, r, 1) + 0.5 * cell(test, r, 2),
  );

  it('least squares recovers the coefficients and R2 = 1 within 1e-9', () => {
    const model = linearRegression().fit(x, y, random) as ReturnType<
      ReturnType<typeof linearRegression>['fit']
    > & {
      weights: Float64Array;
      intercept: number;
    };
    expect(Array.from(model.weights).map((w) => Number(w.toFixed(9)))).toEqual([2, -1, 0.5, 0]);
    expect(model.intercept).toBeCloseTo(3, 9);
    expect(Math.abs(1 - regressionMetrics(testY, model.predict(test)).R2)).toBeLessThan(1e-9);
  });

  it('least squares answers the minimum-norm fit when two columns are identical', () => {
    // x0 duplicated: the weight 2 splits evenly, 1 and 1, and predictions stay exact
    const doubled = fromRows(
      Array.from({ length: 200 }, (_, r) => [cell(x, r, 0), cell(x, r, 0), cell(x, r, 1)]),
    );
    const target = Float64Array.from({ length: 200 }, (_, r) => 2 * cell(x, r, 0) - cell(x, r, 1));
    const model = linearRegression().fit(doubled, target, random) as unknown as { weights: Float64Array };
    expect(Array.from(model.weights).map((w) => Number(w.toFixed(8)))).toEqual([1, 1, -1]);
  });

  it('ridge, lasso and elastic net choose a small strength by inner CV and fit almost exactly', () => {
    const ridge = ridgeCv();
    expect(regressionMetrics(testY, ridge.fit(x, y, random).predict(test)).R2).toBeGreaterThan(0.9999);
    expect(ridge.lastAlpha).toBe(1e-3);
    const lasso = elasticNetCv({ l1Ratios: [1] });
    expect(regressionMetrics(testY, lasso.fit(x, y, random).predict(test)).R2).toBeGreaterThan(0.9999);
    // the path ends at 1e-3 of the largest alpha: the least regularized one wins on a noiseless target
    expect(lasso.lastChoice?.alpha).toBeLessThan(0.01);
    const net = elasticNetCv({ l1Ratios: [0.1, 0.5, 0.9] });
    expect(regressionMetrics(testY, net.fit(x, y, random).predict(test)).R2).toBeGreaterThan(0.999);
  });

  it('a strong lasso zeroes the noise column', () => {
    const noisy = Float64Array.from(y, (value) => value + (random.next() - 0.5));
    const model = elasticNetCv({ l1Ratios: [1] }).fit(x, noisy, random) as unknown as {
      weights: Float64Array;
    };
    expect(Math.abs(model.weights[3] as number)).toBeLessThan(0.05);
  });
});

describe('every learner on a separable classification', () => {
  // class 1 when x0 + x1 > 0, and no row within 0.3 of the boundary
  const rows = Array.from({ length: 400 }, () => [
    random.next() * 4 - 2,
    random.next() * 4 - 2,
    random.next(),
  ]).filter((row) => Math.abs((row[0] as number) + (row[1] as number)) > 0.3);
  const x = fromRows(rows);
  const y = Int32Array.from(rows, (row) => ((row[0] as number) + (row[1] as number) > 0 ? 1 : 0));
  const testRows = [
    [1, 1, 0.5],
    [-1, -1, 0.5],
    [1.5, -0.5, 0.2],
    [-1.5, 0.4, 0.9],
  ];
  const expected = [1, 0, 1, 0];
  const learners: [string, () => Classifier][] = [
    ['logistic', () => logisticRegressionCv()],
    ['lda', linearDiscriminant],
    ['knn', () => kNeighborsClassifier()],
    ['naive bayes', gaussianNaiveBayes],
    ['decision tree', decisionTreeClassifier],
    ['random forest', () => randomForestClassifier(20)],
    ['extra trees', () => extraTreesClassifier(20)],
    ['gradient boosting', () => histGradientBoostingClassifier()],
  ];

  it.each(learners)(
    '%s: training accuracy 1 (trees, kNN, linear) and the right side for new rows',
    (name, build) => {
      const model = build().fit(x, y, 2, seededRandom(3));
      const testPredictions = Array.from(argmaxRows(model.predictProba(fromRows(testRows))));
      expect(testPredictions).toEqual(expected);
      const training = argmaxRows(model.predictProba(x));
      const accuracy = training.filter((label, row) => label === y[row]).length / y.length;
      // naive Bayes assumes independent features: the diagonal boundary is not its model, so it only comes close
      if (name === 'naive bayes') expect(accuracy).toBeGreaterThan(0.9);
      else expect(accuracy).toBe(1);
    },
  );

  it('probabilities are rows summing to 1', () => {
    const probabilities = histGradientBoostingClassifier().fit(x, y, 2, seededRandom(3)).predictProba(x);
    for (let r = 0; r < probabilities.rows; r++)
      expect((probabilities.data[2 * r] as number) + (probabilities.data[2 * r + 1] as number)).toBeCloseTo(
        1,
        12,
      );
  });
});

describe('tree learners and baselines', () => {
  it('bins a feature with few distinct values at the midpoints between them', () => {
    const binner = fitBinner(fromRows([[1], [2], [2], [4]]));
    expect(Array.from(binner.edges[0] as Float64Array)).toEqual([1.5, 3]);
    expect(Array.from(binner.apply(fromRows([[0], [1.5], [1.6], [9]])).bins)).toEqual([0, 0, 1, 2]);
  });

  it('a full tree fits a step function exactly; forests and boosting come close', () => {
    const x = uniformRows(300, 2);
    const y = Float64Array.from({ length: 300 }, (_, r) => (cell(x, r, 0) > 0.25 ? 5 : -1));
    expect(regressionMetrics(y, decisionTreeRegressor().fit(x, y, random).predict(x)).R2).toBe(1);
    expect(regressionMetrics(y, randomForestRegressor(20).fit(x, y, random).predict(x)).R2).toBeGreaterThan(
      0.98,
    );
    expect(regressionMetrics(y, extraTreesRegressor(20).fit(x, y, random).predict(x)).R2).toBe(1);
    expect(
      regressionMetrics(y, histGradientBoostingRegressor().fit(x, y, random).predict(x)).R2,
    ).toBeGreaterThan(0.99);
  });

  it('the single tree splits exactly at the midpoint between distinct values, past 255 of them', () => {
    // 600 distinct values 0…599, y = 1 from 438 on: the one threshold that fits is 437.5. 255 quantile bins have no
    // edge there (their cuts near it fall at (k/255)·599 for k = 186, 187: 436.5 and 439.5), the exact tree has.
    const x = fromRows(Array.from({ length: 600 }, (_, i) => [i]));
    const y = Float64Array.from({ length: 600 }, (_, i) => (i >= 438 ? 1 : 0));
    const model = decisionTreeRegressor().fit(x, y, random);
    expect(regressionMetrics(y, model.predict(x)).R2).toBe(1);
    expect(Array.from(model.predict(fromRows([[437.4], [437.5], [437.6]])))).toEqual([0, 0, 1]);
    const classifier = decisionTreeClassifier().fit(x, Int32Array.from(y), 2, random);
    expect(Array.from(classifier.predictProba(fromRows([[437.5], [437.6]])).data)).toEqual([1, 0, 0, 1]);
  });

  it('kNN with k = 1 returns the nearest training target', () => {
    const x = fromRows([[0], [10], [20]]);
    expect(
      Array.from(
        kNeighborsRegressor(1)
          .fit(x, Float64Array.of(1, 2, 3), random)
          .predict(fromRows([[9], [16]])),
      ),
    ).toEqual([2, 3]);
  });

  it('kNN (k = 5) averages the same neighbours as a sort of every distance, in groups of four test rows and alone', () => {
    const train = uniformRows(97, 3);
    const targets = Float64Array.from({ length: 97 }, (_, r) => r);
    const test = uniformRows(21, 3); // 21 = five groups of four and one row on its own
    const predicted = kNeighborsRegressor(5).fit(train, targets, random).predict(test);
    for (let t = 0; t < test.rows; t++) {
      const distances = Array.from({ length: train.rows }, (_, r) => ({
        r,
        d: [0, 1, 2].reduce((sum, j) => sum + (cell(test, t, j) - cell(train, r, j)) ** 2, 0),
      })).sort((a, b) => a.d - b.d || a.r - b.r);
      const mean = distances.slice(0, 5).reduce((sum, { r }) => sum + r, 0) / 5;
      expect(predicted[t]).toBeCloseTo(mean, 12);
    }
  });

  it('dummies answer the training mean and the class priors', () => {
    const x = fromRows([[0], [0], [0], [0]]);
    expect(
      Array.from(
        dummyRegressor()
          .fit(x, Float64Array.of(1, 2, 3, 6), random)
          .predict(x),
      ),
    ).toEqual([3, 3, 3, 3]);
    const proba = dummyClassifier()
      .fit(x, Int32Array.of(0, 1, 1, 1), 2, random)
      .predictProba(fromRows([[5]]));
    expect(Array.from(proba.data)).toEqual([0.25, 0.75]);
  });
});
