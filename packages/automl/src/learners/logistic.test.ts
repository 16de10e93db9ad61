import { fromRows } from '../matrix';
import { minimizeLbfgs, SCIPY_LBFGS } from './lbfgs';
import { fitBinaryLogistic, fitMultinomialLogistic, LOGISTIC_CS, logisticRegressionCv } from './logistic';

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function, (1, 1), from (-1.2, 1)', () => {
    // f = (1 - a)² + 100 (b - a²)²: zero at (1, 1) and positive elsewhere
    const result = minimizeLbfgs(
      (point, gradient) => {
        const a = point[0] as number;
        const b = point[1] as number;
        gradient[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        gradient[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { ...SCIPY_LBFGS, ftol: 0, gtol: 1e-9, maxIterations: 500 },
    );
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it('leaves its start untouched and stops at once where the gradient is already within gtol', () => {
    const start = Float64Array.of(3);
    const result = minimizeLbfgs(
      (point, gradient) => {
        gradient[0] = 2 * ((point[0] as number) - 3);
        return ((point[0] as number) - 3) ** 2;
      },
      start,
      { ...SCIPY_LBFGS, gtol: 1e-4, maxIterations: 100 },
    );
    expect(result.iterations).toBe(0);
    expect(result.evaluations).toBe(1);
    expect(Array.from(start)).toEqual([3]);
  });
});

describe('binary logistic regression (scikit-learn 1.2 objective: Σ log-loss + ‖w‖² / 2C)', () => {
  // Rows x = 1 (class 1) and x = -1 (class 0). By symmetry the intercept is 0 (its gradient σ(w) - 1 + σ(-w) = 0),
  // and the weight solves 2 (σ(w) - 1) + w / C = 0. With w = ln 3, σ(w) = 3/4, so C = 2 ln 3 makes w = ln 3 exact.
  const x = fromRows([[1], [-1]]);
  const target = Float64Array.of(1, 0);

  it('reaches the hand-worked optimum w = ln 3, b = 0 at C = 2 ln 3, from zero or from a warm start', () => {
    const c = 2 * Math.log(3);
    for (const start of [undefined, Float64Array.of(5, -2)]) {
      const beta = fitBinaryLogistic(x, target, c, start);
      // scikit-learn's stopping rule (relative decrease <= 2.2e-9 of f ≈ 1.2) leaves ~1e-4 on w, as scikit-learn does
      expect(beta[0]).toBeCloseTo(Math.log(3), 3);
      expect(beta[1]).toBeCloseTo(0, 3);
    }
  });

  it('shrinks the weight with C: at C = 1e-4, w = C / (1 + C/2) to first order', () => {
    // for tiny w, σ(w) ≈ 1/2 + w/4, so 2 (w/4 - 1/2) + w / C = 0 gives w = 1 / (1/2 + 1/C) = 9.9995e-5
    const beta = fitBinaryLogistic(x, target, 1e-4);
    expect(beta[0]).toBeCloseTo(1e-4 / (1 + 5e-5), 8);
  });
});

describe('LogisticRegressionCV', () => {
  it('uses the grid 1e-4 … 1e4 of ten Cs, evenly spaced in log', () => {
    expect(LOGISTIC_CS).toHaveLength(10);
    expect(LOGISTIC_CS[0]).toBeCloseTo(1e-4, 12);
    expect(LOGISTIC_CS[9]).toBeCloseTo(1e4, 8);
    expect((LOGISTIC_CS[1] as number) / (LOGISTIC_CS[0] as number)).toBeCloseTo(10 ** (8 / 9), 10);
  });
});

describe('multinomial logistic regression (more than two classes, as scikit-learn 1.2 with lbfgs)', () => {
  // Three rows, the identity features e₁, e₂, e₃, labels 0, 1, 2. By symmetry W = a on the diagonal, b off it, and
  // intercepts stay 0 (their gradient p_true + 2 p_other − 1 is 0). With p_other = 1 / (e^(a−b) + 2) the gradient
  // is (p_true − 1) + a/C = 0 on the diagonal and p_other + b/C = 0 off it; p_true = 1 − 2 p_other gives a = −2b.
  // Choosing a − b = ln 4 makes p_other = 1/6, so C = (a − b) / (3 p_other) = 2 ln 4, a = C/3, b = −C/6.
  const x = fromRows([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const y = Int32Array.of(0, 1, 2);
  const c = 2 * Math.log(4);

  it('reaches the hand-worked weights a = C/3 on the diagonal and b = -C/6 off it', () => {
    const betas = fitMultinomialLogistic(x, y, 3, c);
    betas.forEach((beta, k) => {
      for (let j = 0; j < 3; j++) expect(beta[j]).toBeCloseTo(j === k ? c / 3 : -c / 6, 3);
      expect(beta[3]).toBeCloseTo(0, 3);
    });
  });

  it('the CV learner answers softmax probabilities (rows sum to 1) and the right class', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [
      i % 3 === 0 ? 1 : 0,
      i % 3 === 1 ? 1 : 0,
      i % 3 === 2 ? 1 : 0,
    ]);
    const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const model = logisticRegressionCv().fit(fromRows(rows), labels, 3, { next: () => 0, int: () => 0 });
    const probabilities = model.predictProba(x);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(probabilities.data.subarray(r * 3, r * 3 + 3));
      expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
      expect(row.indexOf(Math.max(...row))).toBe(r);
    }
  });
});
