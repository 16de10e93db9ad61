import fc from 'fast-check';
import { contiguousFolds, foldRows, kFold, stratifiedKFold } from './folds';
import { seededRandom } from './random';

const labelsArbitrary = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 300 });

describe('fold assignment', () => {
  it('puts every row in exactly one test fold, disjoint from its training rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 500 }),
        fc.integer({ min: 2, max: 10 }),
        fc.nat(),
        (rows, folds, seed) => {
          const assignment = kFold(rows, folds, seededRandom(seed));
          const seen = new Int32Array(rows);
          for (let fold = 0; fold < folds; fold++) {
            const { train, test } = foldRows(assignment, fold);
            expect(train.length + test.length).toBe(rows);
            const inTest = new Set(test);
            expect(train.some((row) => inTest.has(row))).toBe(false);
            for (const row of test) seen[row] = (seen[row] as number) + 1;
            // sizes differ by at most one: ⌊rows/folds⌋ or ⌈rows/folds⌉
            expect(Math.abs(test.length - rows / folds)).toBeLessThan(1);
          }
          expect(seen.every((count) => count === 1)).toBe(true);
        },
      ),
    );
  });

  it('stratifies: each fold holds each class within one row of its share', () => {
    fc.assert(
      fc.property(labelsArbitrary, fc.integer({ min: 2, max: 5 }), fc.nat(), (labelList, folds, seed) => {
        const labels = Int32Array.from(labelList);
        const assignment = stratifiedKFold(labels, folds, seededRandom(seed));
        for (const label of new Set(labelList)) {
          const total = labelList.filter((value) => value === label).length;
          for (let fold = 0; fold < folds; fold++) {
            const inFold = labelList.filter(
              (value, row) => value === label && assignment[row] === fold,
            ).length;
            expect(Math.abs(inFold - total / folds)).toBeLessThan(1);
          }
        }
        for (let fold = 0; fold < folds; fold++) {
          const size = foldRows(assignment, fold).test.length;
          expect(Math.abs(size - labels.length / folds)).toBeLessThan(1);
        }
      }),
    );
  });

  it('is reproducible from its seed and changes with it', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 3);
    expect(stratifiedKFold(labels, 5, seededRandom(7))).toEqual(stratifiedKFold(labels, 5, seededRandom(7)));
    expect(stratifiedKFold(labels, 5, seededRandom(7))).not.toEqual(
      stratifiedKFold(labels, 5, seededRandom(8)),
    );
    expect(kFold(100, 5, seededRandom(7))).toEqual(kFold(100, 5, seededRandom(7)));
  });

  it('splits contiguously for inner CV: 7 rows in 3 folds are 3, 2, 2', () => {
    expect(Array.from(contiguousFolds(7, 3))).toEqual([0, 0, 0, 1, 1, 2, 2]);
  });

  it('refuses fewer rows than folds', () => {
    expect(() => kFold(3, 5, seededRandom(1))).toThrow(RangeError);
  });
});
