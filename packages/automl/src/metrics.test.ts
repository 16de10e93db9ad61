import { fromRows } from './matrix';
import { classificationMetrics, regressionMetrics, rocAuc } from './metrics';

describe('regression metrics', () => {
  it('match figures worked by hand on four rows', () => {
    // errors y − ŷ: −0.5, 0, 1, −1 → |e| sum 2.5, e² sum 2.25; mean y 2.5, Σ(y − ȳ)² = 2.25 + .25 + .25 + 2.25 = 5
    // MAPE: (0.5/1 + 0/2 + 1/3 + 1/4) / 4 = (13/12) / 4 = 13/48
    // RMSLE: log1p differences ln(2.5/2), 0, ln(3/4), ln(6/5)
    const metrics = regressionMetrics([1, 2, 3, 4], [1.5, 2, 2, 5]);
    expect(metrics.MAE).toBeCloseTo(0.625, 12);
    expect(metrics.MSE).toBeCloseTo(0.5625, 12);
    expect(metrics.RMSE).toBeCloseTo(0.75, 12);
    expect(metrics.R2).toBeCloseTo(1 - 2.25 / 5, 12);
    expect(metrics.MAPE).toBeCloseTo(13 / 48, 12);
    expect(metrics.RMSLE).toBeCloseTo(
      Math.sqrt((Math.log(1.25) ** 2 + Math.log(0.75) ** 2 + Math.log(1.2) ** 2) / 4),
      12,
    );
  });

  it('leave rows whose actual value is 0 out of MAPE and score a constant target like scikit-learn', () => {
    // only the second row counts: |2 − 1| / 2
    expect(regressionMetrics([0, 2], [5, 1]).MAPE).toBeCloseTo(0.5, 12);
    expect(regressionMetrics([3, 3], [3, 3]).R2).toBe(1);
    expect(regressionMetrics([3, 3], [3, 4]).R2).toBe(0);
  });
});

describe('classification metrics', () => {
  it('match a binary confusion matrix worked by hand', () => {
    // P(class 1) = .1 .6 .4 .8 .9 → predicted 0 1 0 1 1 against 0 0 1 1 1: TP 2, FN 1, FP 1, TN 1
    const probabilities = fromRows([0.1, 0.6, 0.4, 0.8, 0.9].map((p) => [1 - p, p]));
    const metrics = classificationMetrics(Int32Array.from([0, 0, 1, 1, 1]), probabilities);
    expect(metrics.Accuracy).toBeCloseTo(3 / 5, 12);
    expect(metrics.Recall).toBeCloseTo(2 / 3, 12);
    expect(metrics.Precision).toBeCloseTo(2 / 3, 12);
    expect(metrics.F1).toBeCloseTo(2 / 3, 12);
    // positive scores .4 .8 .9 beat negatives .1 .6 in 1 + 2 + 2 of 6 pairs
    expect(metrics.AUC).toBeCloseTo(5 / 6, 12);
    // chance agreement (2·2 + 3·3) / 25 = .52 → (.6 − .52) / .48
    expect(metrics.Kappa).toBeCloseTo(0.08 / 0.48, 12);
    // (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (2 − 1) / √(3·3·2·2)
    expect(metrics.MCC).toBeCloseTo(1 / 6, 12);
  });

  it('weights per-class figures by support with more than two classes', () => {
    // actual 0 1 2 2, predicted 0 2 2 1: recall per class 1, 0, 1/2; precision 1, 0, 1/2 (class 2 predicted twice)
    const probabilities = fromRows([
      [0.8, 0.1, 0.1],
      [0.1, 0.2, 0.7],
      [0.1, 0.2, 0.7],
      [0.1, 0.6, 0.3],
    ]);
    const metrics = classificationMetrics(Int32Array.from([0, 1, 2, 2]), probabilities);
    expect(metrics.Accuracy).toBeCloseTo(0.5, 12);
    expect(metrics.Recall).toBeCloseTo((1 * 1 + 1 * 0 + 2 * 0.5) / 4, 12);
    expect(metrics.Precision).toBeCloseTo((1 * 1 + 1 * 0 + 2 * 0.5) / 4, 12);
    // class 0: perfect (1); class 1: its row scores .2 against .1 .2 .6 → beats 1, ties 1 of 3 → 1.5/3;
    // class 2: rows score .7 .3 against .1 .7 → (.7 beats .1, ties .7: 1.5) + (.3 beats .1: 1) = 2.5/4
    expect(metrics.AUC).toBeCloseTo((1 * 1 + 1 * 0.5 + 2 * 0.625) / 4, 12);
  });

  it('gives AUC 0.5 to tied scores and NaN when one class is absent', () => {
    expect(rocAuc([true, false], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([true, true], [0.2, 0.5])).toBeNaN();
  });
});
