import { ProblemError, prepareProblem, runAutoMl } from './automl';
import type { Frame } from './frame';
import { seededRandom } from './random';

const random = seededRandom(5);
const rows = 120;
const x1 = Float64Array.from({ length: rows }, () => random.next() * 10);
const x2 = Float64Array.from({ length: rows }, () => random.next() * 10);
const group = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : null));
// y = 2·x1 − x2 + 5 exactly, so linear models must rank first
const y = Float64Array.from({ length: rows }, (_, i) =>
  i === 7 ? Number.NaN : 2 * (x1[i] as number) - (x2[i] as number) + 5,
);
const frame: Frame = {
  rows,
  columns: [
    { name: 'x1', kind: 'numeric', values: x1 },
    { name: 'x2', kind: 'numeric', values: x2 },
    { name: 'group', kind: 'categorical', values: group },
    { name: 'y', kind: 'numeric', values: y },
  ],
};

describe('an AutoML run', () => {
  it('ranks families by R2, refits the best and predicts every row with a target', async () => {
    const progress: string[] = [];
    const result = await runAutoMl(prepareProblem(frame, 'y', 'regression'), {
      folds: 5,
      seed: 1,
      include: ['lr', 'dt', 'dummy', 'knn'],
      onProgress: ({ completed, total, model }) => {
        progress.push(`${completed}/${total} ${model}`);
      },
    });
    expect(progress).toEqual(['1/4 lr', '2/4 knn', '3/4 dt', '4/4 dummy']);
    expect(result.leaderboard[0]?.model).toBe('lr');
    expect(result.leaderboard[0]?.metrics).toMatchObject({ R2: expect.closeTo(1, 9) });
    const r2 = result.leaderboard.map((entry) => (entry.metrics as { R2: number }).R2);
    expect(r2).toEqual([...r2].sort((a, b) => b - a));
    expect(result.bestModel).toBe('lr');
    // row 8 (1-based) has no target: left out
    expect(result.predictions).toHaveLength(rows - 1);
    expect(result.predictions.some((prediction) => prediction.row === 8)).toBe(false);
    const first = result.predictions[0];
    expect(first?.predicted).toBeCloseTo(first?.actual as number, 8);
    expect(first?.cvPredicted).toBeCloseTo(first?.actual as number, 8);
  });

  it('is reproducible from its seed', async () => {
    const run = () =>
      runAutoMl(prepareProblem(frame, 'y', 'regression'), { folds: 4, seed: 9, include: ['rf'] });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.leaderboard[0]?.metrics).toEqual(b.leaderboard[0]?.metrics);
  });

  it('classifies a text target and skips every family once the budget is spent', async () => {
    const labelled: Frame = {
      rows,
      columns: [
        ...frame.columns.slice(0, 2),
        { name: 'label', kind: 'categorical', values: Array.from(x1, (v) => (v > 5 ? 'high' : 'low')) },
      ],
    };
    const problem = prepareProblem(labelled, 'label', 'classification');
    expect(problem.classLabels).toEqual(['high', 'low']);
    const result = await runAutoMl(problem, { folds: 3, seed: 1, include: ['dt', 'dummy'] });
    expect(result.leaderboard.map((entry) => entry.model)).toEqual(['dt', 'dummy']);
    // a held-out row close to the x1 = 5 boundary may fall on the wrong side of the learnt cut, hardly more
    const [tree, dummy] = result.leaderboard.map(
      (entry) => entry.metrics as { Accuracy: number; AUC: number },
    );
    expect(tree?.Accuracy).toBeGreaterThan(0.97);
    expect(dummy?.AUC).toBe(0.5);
    expect(result.predictions[0]?.predicted).toBe(result.predictions[0]?.actual);
    let now = 0;
    const spent = await runAutoMl(problem, {
      folds: 3,
      seed: 1,
      include: ['dt', 'dummy'],
      budgetMs: 10,
      clock: () => (now += 20),
    });
    expect(spent.skipped).toEqual(['dt', 'dummy']);
    expect(spent.bestModel).toBeNull();
  });

  it('refuses a missing target, a text target for regression, and a single class', () => {
    expect(() => prepareProblem(frame, 'nope', 'regression')).toThrow(ProblemError);
    expect(() => prepareProblem(frame, 'group', 'regression')).toThrow('numeric target');
    const single: Frame = {
      rows: 2,
      columns: [
        frame.columns[0] as Frame['columns'][number],
        { name: 'c', kind: 'categorical', values: ['x', 'x'] },
      ],
    };
    expect(() => prepareProblem(single, 'c', 'classification')).toThrow('at least two classes');
  });
});
