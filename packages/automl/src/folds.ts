import { type Random, shuffleInPlace } from './random';

/** Fold number of each row: row i is in the test part of fold `assignment[i]` and trains every other fold. */
export type FoldAssignment = Int32Array;

export const validateFoldCount = (rows: number, folds: number): void => {
  if (!Number.isInteger(folds) || folds < 2)
    throw new RangeError(`folds must be an integer >= 2, got ${folds}`);
  if (rows < folds) throw new RangeError(`${rows} rows cannot be split into ${folds} folds`);
};

/** Shuffled k-fold (regression): fold sizes differ by at most one. */
export const kFold = (rows: number, folds: number, random: Random): FoldAssignment => {
  validateFoldCount(rows, folds);
  const order = shuffleInPlace(
    Int32Array.from({ length: rows }, (_, i) => i),
    random,
  );
  const assignment = new Int32Array(rows);
  order.forEach((row, position) => {
    assignment[row] = position % folds;
  });
  return assignment;
};

/**
 * Shuffled stratified k-fold (classification): each class is shuffled and dealt round-robin, continuing where the
 * previous class stopped, so every fold holds each class in proportion (±1 row) and sizes differ by at most one.
 */
export const stratifiedKFold = (labels: Int32Array, folds: number, random: Random): FoldAssignment => {
  validateFoldCount(labels.length, folds);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, row) => {
    const rows = byClass.get(label) ?? [];
    rows.push(row);
    byClass.set(label, rows);
  });
  const assignment = new Int32Array(labels.length);
  let next = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(Int32Array.from(byClass.get(label) ?? []), random);
    for (const row of rows) {
      assignment[row] = next;
      next = (next + 1) % folds;
    }
  }
  return assignment;
};

/** Unshuffled contiguous k-fold, as scikit-learn's inner CV of RidgeCV/LassoCV (`cv=5`) splits. */
export const contiguousFolds = (rows: number, folds: number): FoldAssignment => {
  const assignment = new Int32Array(rows);
  const base = Math.floor(rows / folds);
  const extra = rows % folds;
  let row = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = base + (fold < extra ? 1 : 0);
    for (let i = 0; i < size; i++) assignment[row++] = fold;
  }
  return assignment;
};

/** Unshuffled stratified folds: each class's rows, in order, dealt round-robin (inner CV of logistic regression). */
export const stratifiedContiguousFolds = (labels: Int32Array, folds: number): FoldAssignment => {
  const counters = new Map<number, number>();
  const assignment = new Int32Array(labels.length);
  labels.forEach((label, row) => {
    const seen = counters.get(label) ?? 0;
    assignment[row] = seen % folds;
    counters.set(label, seen + 1);
  });
  return assignment;
};

/** Train and test row indices of one fold. */
export const foldRows = (
  assignment: FoldAssignment,
  fold: number,
): { train: Int32Array; test: Int32Array } => {
  let testCount = 0;
  for (const value of assignment) if (value === fold) testCount++;
  const train = new Int32Array(assignment.length - testCount);
  const test = new Int32Array(testCount);
  let t = 0;
  let s = 0;
  assignment.forEach((value, row) => {
    if (value === fold) test[s++] = row;
    else train[t++] = row;
  });
  return { train, test };
};
