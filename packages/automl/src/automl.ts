import { familiesFor, familyById, type ModelFamily, type ModelId, type Task } from './families';
import { type FoldAssignment, foldRows, kFold, stratifiedKFold } from './folds';
import type { Frame } from './frame';
import { selectFrameRows } from './frame';
import { takeValues } from './matrix';
import {
  argmaxRows,
  type ClassificationMetrics,
  classificationMetrics,
  type RegressionMetrics,
  regressionMetrics,
} from './metrics';
import { fitPreprocessor, type TargetValues } from './preprocess';
import { seededRandom } from './random';

/** A learning problem: features, the target of each row, and for classification the class labels (sorted). */
export interface Problem {
  readonly task: Task;
  readonly features: Frame;
  readonly target: TargetValues;
  readonly classLabels: readonly string[];
  /** Row number (0-based, in the source table) of each problem row: rows without a target are left out. */
  readonly sourceRows: Int32Array;
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
}

/**
 * Splits a frame into features and target. Rows whose target is missing are left out. Regression needs a numeric
 * target; classification takes any column, its distinct values (as text, sorted) being the classes, and needs at
 * least two classes.
 */
export const prepareProblem = (frame: Frame, targetName: string, task: Task): Problem => {
  const targetColumn = frame.columns.find((column) => column.name === targetName);
  if (!targetColumn) throw new ProblemError(`no column named "${targetName}"`);
  const features = frame.columns.filter((column) => column !== targetColumn);
  if (features.length === 0) throw new ProblemError('the dataset has no feature column besides the target');
  const labels = Array.from({ length: frame.rows }, (_, row): string | null => {
    if (targetColumn.kind === 'categorical') return targetColumn.values[row] ?? null;
    const value = targetColumn.values[row] as number;
    return Number.isNaN(value) ? null : String(value);
  });
  const kept = Int32Array.from(labels.flatMap((label, row) => (label === null ? [] : [row])));
  const featureFrame = selectFrameRows({ rows: frame.rows, columns: features }, kept);
  if (task === 'regression') {
    if (targetColumn.kind !== 'numeric')
      throw new ProblemError(`regression needs a numeric target; "${targetName}" is not`);
    return {
      task,
      features: featureFrame,
      target: { task, values: takeValues(targetColumn.values, kept) },
      classLabels: [],
      sourceRows: kept,
    };
  }
  const keptLabels = Array.from(kept, (row) => labels[row] as string);
  const classLabels = [...new Set(keptLabels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classLabels.length < 2)
    throw new ProblemError(`classification needs at least two classes in "${targetName}"`);
  const classIndex = new Map(classLabels.map((label, index) => [label, index]));
  return {
    task,
    features: featureFrame,
    target: {
      task,
      values: Int32Array.from(keptLabels, (label) => classIndex.get(label) ?? 0),
      classes: classLabels.length,
    },
    classLabels,
    sourceRows: kept,
  };
};

/** Seeded fold assignment: shuffled k-fold for regression, stratified for classification. */
export const assignFolds = (problem: Problem, folds: number, seed: number): FoldAssignment =>
  problem.target.task === 'regression'
    ? kFold(problem.target.values.length, folds, seededRandom(seed))
    : stratifiedKFold(problem.target.values, folds, seededRandom(seed));

const targetOf = (target: TargetValues, rows: Int32Array): TargetValues =>
  target.task === 'regression'
    ? { task: 'regression', values: takeValues(target.values, rows) }
    : { task: 'classification', values: takeValues(target.values, rows), classes: target.classes };

const familySeed = (seed: number, id: ModelId, fold: number) => {
  let hash = seed ^ 0x9e3779b9;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return (hash + Math.imul(fold + 1, 0x85ebca6b)) >>> 0;
};

/** Predictions of one fitted model on some rows: values (regression) or classes with their probability. */
export interface RowPredictions {
  readonly predicted: Float64Array;
  /** Classification: probability of the predicted class. */
  readonly confidence?: Float64Array;
}

/** Fits one family on `train` rows (preprocessing fitted there only) and predicts `test` rows. */
export const fitAndPredict = (
  problem: Problem,
  family: ModelFamily,
  train: Int32Array,
  test: Int32Array,
  seed: number,
): { predictions: RowPredictions; probabilities?: import('./matrix').DenseMatrix } => {
  const trainTarget = targetOf(problem.target, train);
  const { preprocessor, train: trainX } = fitPreprocessor(problem.features, train, trainTarget, {
    scale: family.scaled,
  });
  const testX = preprocessor.transform(test);
  const random = seededRandom(seed);
  if (trainTarget.task === 'regression') {
    const learner = family.regressor?.();
    if (!learner) throw new ProblemError(`${family.id} cannot learn regression`);
    return { predictions: { predicted: learner.fit(trainX, trainTarget.values, random).predict(testX) } };
  }
  const learner = family.classifier?.();
  if (!learner) throw new ProblemError(`${family.id} cannot learn classification`);
  const probabilities = learner
    .fit(trainX, trainTarget.values, trainTarget.classes, random)
    .predictProba(testX);
  const classes = argmaxRows(probabilities);
  return {
    predictions: {
      predicted: Float64Array.from(classes),
      confidence: Float64Array.from(
        classes,
        (label, row) => probabilities.data[row * probabilities.cols + label] as number,
      ),
    },
    probabilities,
  };
};

export type Metrics = RegressionMetrics | ClassificationMetrics;

/** A family's cross-validated result: metrics averaged over folds, and each row's out-of-fold prediction. */
export interface FamilyResult {
  readonly model: ModelId;
  readonly name: string;
  readonly metrics: Metrics;
  readonly foldMetrics: readonly Metrics[];
  /** Seconds spent fitting and predicting, all folds together. */
  readonly fitSeconds: number;
  readonly outOfFold: RowPredictions;
}

const averageMetrics = (folds: readonly Metrics[]): Metrics => {
  const first = folds[0];
  if (!first) throw new RangeError('no folds');
  const out: Record<string, number> = {};
  for (const key of Object.keys(first)) {
    const finite = folds
      .map((fold) => (fold as unknown as Record<string, number>)[key] as number)
      .filter(Number.isFinite);
    out[key] =
      finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length;
  }
  return out as unknown as Metrics;
};

/** One fold of one family: the held-out rows, their predictions and the fold's metrics (a worker thread's task). */
export interface FoldOutcome {
  readonly model: ModelId;
  readonly fold: number;
  readonly test: Int32Array;
  readonly predicted: Float64Array;
  readonly confidence?: Float64Array;
  readonly metrics: Metrics;
}

/** Fits one family on every fold but `fold` and scores it on `fold`, seeded by (seed, family, fold) only. */
export const crossValidateFold = (
  problem: Problem,
  modelId: ModelId,
  assignment: FoldAssignment,
  fold: number,
  seed: number,
): FoldOutcome => {
  const { train, test } = foldRows(assignment, fold);
  const { predictions, probabilities } = fitAndPredict(
    problem,
    familyById(modelId),
    train,
    test,
    familySeed(seed, modelId, fold),
  );
  const target = problem.target;
  let metrics: Metrics;
  if (target.task === 'regression')
    metrics = regressionMetrics(takeValues(target.values, test), predictions.predicted);
  else if (probabilities)
    metrics = classificationMetrics(
      takeValues(target.values, test),
      probabilities,
      Int32Array.from(predictions.predicted),
    );
  else throw new ProblemError(`${modelId} answered no class probabilities`);
  return {
    model: modelId,
    fold,
    test,
    predicted: predictions.predicted,
    ...(predictions.confidence ? { confidence: predictions.confidence } : {}),
    metrics,
  };
};

/** Puts a family's fold outcomes together (in fold order, whatever order they finished in). */
export const assembleFamily = (
  problem: Problem,
  modelId: ModelId,
  outcomes: readonly FoldOutcome[],
  fitSeconds: number,
): FamilyResult => {
  const family = familyById(modelId);
  const rows = problem.target.values.length;
  const predicted = new Float64Array(rows);
  const confidence = problem.task === 'classification' ? new Float64Array(rows) : undefined;
  const ordered = [...outcomes].sort((a, b) => a.fold - b.fold);
  for (const outcome of ordered)
    outcome.test.forEach((row, i) => {
      predicted[row] = outcome.predicted[i] as number;
      if (confidence && outcome.confidence) confidence[row] = outcome.confidence[i] as number;
    });
  const foldMetrics = ordered.map((outcome) => outcome.metrics);
  const name =
    (problem.task === 'regression' ? family.name.regression : family.name.classification) ?? family.id;
  return {
    model: modelId,
    name,
    metrics: averageMetrics(foldMetrics),
    foldMetrics,
    fitSeconds,
    outOfFold: confidence ? { predicted, confidence } : { predicted },
  };
};

/** Cross-validates one family over the given folds in this thread (see `parallel.ts` for every core). */
export const crossValidateFamily = (
  problem: Problem,
  modelId: ModelId,
  assignment: FoldAssignment,
  seed: number,
  clock: () => number = () => performance.now(),
): FamilyResult => {
  const folds = Math.max(...assignment) + 1;
  const started = clock();
  const outcomes = Array.from({ length: folds }, (_, fold) =>
    crossValidateFold(problem, modelId, assignment, fold, seed),
  );
  return assembleFamily(problem, modelId, outcomes, (clock() - started) / 1000);
};

/** PyCaret's order: R2 descending for regression, Accuracy descending for classification (ties keep run order). */
export const sortLeaderboard = <T extends { metrics: object }>(task: Task, results: readonly T[]): T[] => {
  const key = task === 'regression' ? 'R2' : 'Accuracy';
  const value = (result: T) => {
    const score = (result.metrics as Record<string, unknown>)[key];
    return typeof score === 'number' && Number.isFinite(score) ? score : Number.NEGATIVE_INFINITY;
  };
  return [...results].sort((a, b) => value(b) - value(a));
};

export interface AutoMlOptions {
  readonly folds: number;
  readonly seed: number;
  readonly include?: readonly ModelId[];
  /** Families not finished when this many milliseconds have passed are skipped. */
  readonly budgetMs?: number;
  readonly clock?: () => number;
  readonly onProgress?: (progress: {
    completed: number;
    total: number;
    model: ModelId;
  }) => Promise<void> | void;
}

export interface PredictionRow {
  /** 1-based data row of the source table. */
  readonly row: number;
  readonly actual: string | number;
  /** The best model refitted on every row, applied to this row. */
  readonly predicted: string | number;
  /** The best model's prediction from the fold where this row was held out. */
  readonly cvPredicted: string | number;
  /** Classification: refitted model's probability of its predicted class. */
  readonly probability?: number;
}

export interface AutoMlResult {
  readonly leaderboard: readonly FamilyResult[];
  readonly bestModel: ModelId | null;
  readonly skipped: readonly ModelId[];
  readonly predictions: readonly PredictionRow[];
}

/** Refits a family on every row and tabulates its predictions next to the actual values and out-of-fold ones. */
export const refitAndPredict = (
  problem: Problem,
  best: Pick<FamilyResult, 'model' | 'outOfFold'>,
  seed: number,
): PredictionRow[] => {
  const all = Int32Array.from({ length: problem.target.values.length }, (_, i) => i);
  const { predictions } = fitAndPredict(
    problem,
    familyById(best.model),
    all,
    all,
    familySeed(seed, best.model, -1),
  );
  const label = (value: number): string | number =>
    problem.task === 'classification' ? (problem.classLabels[value] ?? String(value)) : value;
  return Array.from(all, (i) => ({
    row: (problem.sourceRows[i] as number) + 1,
    actual: label(problem.target.values[i] as number),
    predicted: label(predictions.predicted[i] as number),
    cvPredicted: label(best.outOfFold.predicted[i] as number),
    ...(predictions.confidence ? { probability: predictions.confidence[i] as number } : {}),
  }));
};

/** Cross-validates every family of the task in turn within the budget, ranks them and refits the best. */
export const runAutoMl = async (problem: Problem, options: AutoMlOptions): Promise<AutoMlResult> => {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const families = familiesFor(problem.task, options.include);
  const assignment = assignFolds(problem, options.folds, options.seed);
  const results: FamilyResult[] = [];
  const skipped: ModelId[] = [];
  for (const family of families) {
    if (options.budgetMs !== undefined && clock() - started >= options.budgetMs) {
      skipped.push(family.id);
      continue;
    }
    results.push(crossValidateFamily(problem, family.id, assignment, options.seed, clock));
    await options.onProgress?.({
      completed: results.length + skipped.length,
      total: families.length,
      model: family.id,
    });
  }
  const leaderboard = sortLeaderboard(problem.task, results);
  const best = leaderboard[0];
  return {
    leaderboard,
    bestModel: best?.model ?? null,
    skipped,
    predictions: best ? refitAndPredict(problem, best, options.seed) : [],
  };
};
