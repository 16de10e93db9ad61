import path from 'node:path';
import { crossValidateFamily, prepareProblem } from './automl';
import { kFold } from './folds';
import type { Frame } from './frame';
import { crossValidateFamilies } from './parallel';
import { seededRandom } from './random';

const random = seededRandom(11);
const rows = 150;
const x1 = Float64Array.from({ length: rows }, () => random.next() * 10);
const x2 = Float64Array.from({ length: rows }, () => random.next() * 10);
const noise = Float64Array.from({ length: rows }, () => random.next() - 0.5);
const frame: Frame = {
  rows,
  columns: [
    { name: 'x1', kind: 'numeric', values: x1 },
    { name: 'x2', kind: 'numeric', values: x2 },
    {
      name: 'g',
      kind: 'categorical',
      values: Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? null : `L${i % 3}`)),
    },
    // a noisy non-linear target: every family scores differently, and rf/et draw random numbers
    {
      name: 'y',
      kind: 'numeric',
      values: x1.map((v, i) => v * v - 3 * (x2[i] as number) + (noise[i] as number)),
    },
  ],
};
const problem = prepareProblem(frame, 'y', 'regression');
const assignment = kFold(rows, 4, seededRandom(3));
const models = ['lr', 'knn', 'rf', 'et', 'dummy'] as const;
const inThread = models.map((model) => crossValidateFamily(problem, model, assignment, 7));
const comparable = (results: readonly { model: string; metrics: object; outOfFold: object }[]) =>
  results.map(({ model, metrics, outOfFold }) => ({ model, metrics, outOfFold }));

describe('cross-validation on worker threads', () => {
  it('answers exactly what one thread answers, whichever thread ran which fold', async () => {
    // Jest runs TypeScript sources, which a plain worker cannot load: tsx's require hook is passed to the workers explicitly
    const completed: string[] = [];
    const run = await crossValidateFamilies(problem, models, assignment, 7, {
      threads: 2,
      execArgv: ['--require', 'tsx/cjs'],
      entry: path.join(__dirname, 'parallel.ts'),
      onFamily: (result) => completed.push(result.model),
    });
    expect(run.threads).toBe(2);
    expect(comparable(run.results)).toEqual(comparable(inThread));
    expect([...completed].sort()).toEqual([...models].sort());
    for (const result of run.results) expect(result.fitSeconds).toBeGreaterThan(0);
  }, 120_000);

  it('runs every task in this thread when no worker can start, with the same answer', async () => {
    const run = await crossValidateFamilies(problem, models, assignment, 7, {
      threads: 2,
      entry: path.join(__dirname, 'no-such-worker.js'),
    });
    expect(run.threads).toBe(1);
    expect(comparable(run.results)).toEqual(comparable(inThread));
  });

  it("rejects with the task's own error (a family that cannot learn the task)", async () => {
    await expect(
      crossValidateFamilies(problem, ['logistic'], assignment, 7, {
        threads: 2,
        execArgv: ['--require', 'tsx/cjs'],
        entry: path.join(__dirname, 'parallel.ts'),
      }),
    ).rejects.toThrow(/^logistic fold \d: logistic cannot learn regression$/);
    await expect(crossValidateFamilies(problem, ['logistic'], assignment, 7, { threads: 1 })).rejects.toThrow(
      'logistic cannot learn regression',
    );
  }, 120_000);
});
