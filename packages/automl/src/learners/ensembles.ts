import type { DenseMatrix } from '../matrix';
import type { Random } from '../random';
import {
  EXACT_BINS,
  fitBinner,
  growTree,
  leafIndices,
  MAX_BINS,
  type Tree,
  type TreeOptions,
  type TreeTarget,
  treeWorkspace,
} from './hist-tree';
import {
  type ClassificationModel,
  type Classifier,
  classCounts,
  type RegressionModel,
  type Regressor,
  softmaxRows,
} from './types';

export interface ForestOptions {
  readonly trees: number;
  readonly bootstrap: boolean;
  readonly randomThresholds: boolean;
  /** Candidate features per node from the feature count. */
  readonly maxFeatures: (features: number) => number;
  /** One bin per distinct training value (exact thresholds) instead of 255 quantile bins: the single tree. */
  readonly exact?: boolean;
}

const fullTree = (features: number, options: Partial<TreeOptions>): TreeOptions => ({
  maxDepth: Number.POSITIVE_INFINITY,
  maxLeaves: Number.POSITIVE_INFINITY,
  minSamplesLeaf: 1,
  maxFeatures: features,
  randomThresholds: false,
  lambda: 0,
  minChildWeight: 0,
  ...options,
});

const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const bootstrapRows = (n: number, random: Random) => Int32Array.from({ length: n }, () => random.int(n));

/** Averages the leaf values of every tree over a test matrix: rows × channels. */
const averageLeaves = (
  trees: readonly Tree[],
  binnedTest: ReturnType<ReturnType<typeof fitBinner>['apply']>,
  channels: number,
) => {
  const out = new Float64Array(binnedTest.rows * channels);
  for (const tree of trees) {
    const leaves = leafIndices(tree, binnedTest);
    for (let r = 0; r < binnedTest.rows; r++)
      for (let c = 0; c < channels; c++)
        out[r * channels + c] =
          (out[r * channels + c] as number) + (tree.values[(leaves[r] as number) * channels + c] as number);
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / trees.length;
  return out;
};

const sqrtFeatures = (features: number) => Math.max(1, Math.floor(Math.sqrt(features)));
const allFeatures = (features: number) => features;

/** Bins the features once and grows the forest's trees on `target` (bootstrapped rows or all of them). */
const growForest = (x: DenseMatrix, target: TreeTarget, forest: ForestOptions, random: Random) => {
  const binner = fitBinner(x, forest.exact ? EXACT_BINS : MAX_BINS);
  const binned = binner.apply(x);
  const options = fullTree(x.cols, {
    maxFeatures: forest.maxFeatures(x.cols),
    randomThresholds: forest.randomThresholds,
    // with thousands of bins a node histogram per open node would cost megabytes: exact trees scan per feature
    ...(forest.exact ? { nodeHistograms: false } : {}),
  });
  const workspace = treeWorkspace();
  const trees = Array.from({ length: forest.trees }, () => {
    const rows = forest.bootstrap ? bootstrapRows(x.rows, random) : allRows(x.rows);
    return growTree(binned, target, rows, options, random, workspace).tree;
  });
  return (test: DenseMatrix) => averageLeaves(trees, binner.apply(test), target.channels);
};

const forestRegressor = (forest: ForestOptions): Regressor => ({
  fit(x, y, random): RegressionModel {
    const target = { channels: 1, stats: Float64Array.from(y), weights: new Float64Array(x.rows).fill(1) };
    return { predict: growForest(x, target, forest, random) };
  },
});

const forestClassifier = (forest: ForestOptions): Classifier => ({
  fit(x, y, classes, random): ClassificationModel {
    const weights = new Float64Array(x.rows).fill(1);
    if (classes === 2) {
      // Two classes grow on one channel, the class-1 indicator: with S₀ = W − S₁ a side's Gini score
      // (S₀² + S₁²)/W is W − 2S₁ + 2S₁²/W, so Gini gains are exactly twice the variance gains of the indicator
      // (Σ W and Σ S₁ over the two sides are the parent's), the same splits; a leaf's value S₁/W is the class-1
      // share.
      const predict = growForest(x, { channels: 1, stats: Float64Array.from(y), weights }, forest, random);
      return {
        predictProba(test) {
          const share = predict(test);
          const data = new Float64Array(test.rows * 2);
          for (let r = 0; r < test.rows; r++) {
            data[2 * r] = 1 - (share[r] as number);
            data[2 * r + 1] = share[r] as number;
          }
          return { rows: test.rows, cols: 2, data };
        },
      };
    }
    const stats = new Float64Array(x.rows * classes);
    y.forEach((label, row) => {
      stats[row * classes + label] = 1;
    });
    const predict = growForest(x, { channels: classes, stats, weights }, forest, random);
    return { predictProba: (test) => ({ rows: test.rows, cols: classes, data: predict(test) }) };
  },
});

/**
 * A single fully grown tree on every feature (DecisionTreeRegressor defaults), best exact split per node (one bin per
 * distinct value: 255 quantile bins cost a single tree ~0.01 of score against scikit-learn's exact splitter).
 */
export const decisionTreeRegressor = () =>
  forestRegressor({
    trees: 1,
    bootstrap: false,
    randomThresholds: false,
    maxFeatures: allFeatures,
    exact: true,
  });
/** A single fully grown Gini tree (DecisionTreeClassifier defaults), exact splits as the regressor's. */
export const decisionTreeClassifier = () =>
  forestClassifier({
    trees: 1,
    bootstrap: false,
    randomThresholds: false,
    maxFeatures: allFeatures,
    exact: true,
  });
/** 100 bootstrapped full trees on every feature (RandomForestRegressor defaults). */
export const randomForestRegressor = (trees = 100) =>
  forestRegressor({ trees, bootstrap: true, randomThresholds: false, maxFeatures: allFeatures });
/** 100 bootstrapped full Gini trees, √p candidate features per node (RandomForestClassifier defaults). */
export const randomForestClassifier = (trees = 100) =>
  forestClassifier({ trees, bootstrap: true, randomThresholds: false, maxFeatures: sqrtFeatures });
/** 100 full trees on all rows with one random threshold per feature (ExtraTreesRegressor defaults). */
export const extraTreesRegressor = (trees = 100) =>
  forestRegressor({ trees, bootstrap: false, randomThresholds: true, maxFeatures: allFeatures });
/** 100 extremely randomized Gini trees, √p candidate features per node (ExtraTreesClassifier defaults). */
export const extraTreesClassifier = (trees = 100) =>
  forestClassifier({ trees, bootstrap: false, randomThresholds: true, maxFeatures: sqrtFeatures });

export interface BoostingOptions {
  readonly iterations: number;
  readonly learningRate: number;
  readonly maxLeaves: number;
  readonly minSamplesLeaf: number;
  readonly l2: number;
}

/** HistGradientBoosting's defaults: 100 iterations, rate 0.1, 31 leaves, 20 samples per leaf, no L2. */
export const HIST_BOOSTING_DEFAULTS: BoostingOptions = {
  iterations: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 0,
};

const boostingTree = (features: number, options: BoostingOptions): TreeOptions => ({
  maxDepth: Number.POSITIVE_INFINITY,
  maxLeaves: options.maxLeaves,
  minSamplesLeaf: options.minSamplesLeaf,
  maxFeatures: features,
  randomThresholds: false,
  lambda: options.l2,
  minChildWeight: 1e-3,
});

/**
 * Gradient boosting of histogram trees (HistGradientBoosting): each round fits a best-first tree to the loss's
 * gradient and hessian (squared error; binary log-loss; softmax with one tree per class), leaves scaled by the rate.
 * `rawScores` starts at the baseline and is updated from the leaf ranges the grower answers.
 */
const boost = (
  x: DenseMatrix,
  outputs: number,
  baseline: Float64Array,
  gradients: (raw: Float64Array, gradient: Float64Array, hessian: Float64Array) => void,
  options: BoostingOptions,
  random: Random,
) => {
  const binner = fitBinner(x);
  const binned = binner.apply(x);
  const n = x.rows;
  const raw = new Float64Array(n * outputs);
  for (let r = 0; r < n; r++) raw.set(baseline, r * outputs);
  const gradient = new Float64Array(n * outputs);
  const hessian = new Float64Array(n * outputs);
  const negative = new Float64Array(n);
  const weights = new Float64Array(n);
  const treeOptions = boostingTree(x.cols, options);
  const rounds: Tree[][] = [];
  const rows = allRows(n);
  const workspace = treeWorkspace();
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    gradients(raw, gradient, hessian);
    const round: Tree[] = [];
    for (let k = 0; k < outputs; k++) {
      for (let r = 0; r < n; r++) {
        negative[r] = -(gradient[r * outputs + k] as number);
        weights[r] = hessian[r * outputs + k] as number;
      }
      const grown = growTree(
        binned,
        { channels: 1, stats: negative, weights },
        rows,
        treeOptions,
        random,
        workspace,
      );
      const values = grown.tree.values.map((value) => value * options.learningRate);
      for (const leaf of grown.leaves)
        for (let i = leaf.start; i < leaf.end; i++)
          raw[(grown.rows[i] as number) * outputs + k] =
            (raw[(grown.rows[i] as number) * outputs + k] as number) + (values[leaf.node] as number);
      round.push({ ...grown.tree, values });
    }
    rounds.push(round);
  }
  return (test: DenseMatrix): Float64Array => {
    const binnedTest = binner.apply(test);
    const out = new Float64Array(test.rows * outputs);
    for (let r = 0; r < test.rows; r++) out.set(baseline, r * outputs);
    for (const round of rounds)
      round.forEach((tree, k) => {
        const leaves = leafIndices(tree, binnedTest);
        for (let r = 0; r < test.rows; r++)
          out[r * outputs + k] =
            (out[r * outputs + k] as number) + (tree.values[leaves[r] as number] as number);
      });
    return out;
  };
};

export const histGradientBoostingRegressor = (options = HIST_BOOSTING_DEFAULTS): Regressor => ({
  fit(x, y, random) {
    let sum = 0;
    for (const value of y) sum += value;
    const predict = boost(
      x,
      1,
      Float64Array.of(sum / y.length),
      (raw, gradient, hessian) => {
        for (let r = 0; r < y.length; r++) {
          gradient[r] = (raw[r] as number) - (y[r] as number);
          hessian[r] = 1;
        }
      },
      options,
      random,
    );
    return { predict };
  },
});

export const histGradientBoostingClassifier = (options = HIST_BOOSTING_DEFAULTS): Classifier => ({
  fit(x, y, classes, random) {
    const priors = classCounts(y, classes).map((count) => Math.max(count, 1e-12) / y.length);
    if (classes === 2) {
      const p1 = priors[1] as number;
      const predict = boost(
        x,
        1,
        Float64Array.of(Math.log(p1 / (1 - p1))),
        (raw, gradient, hessian) => {
          for (let r = 0; r < y.length; r++) {
            const probability = 1 / (1 + Math.exp(-(raw[r] as number)));
            gradient[r] = probability - (y[r] as number);
            hessian[r] = probability * (1 - probability);
          }
        },
        options,
        random,
      );
      return {
        predictProba(test) {
          const raw = predict(test);
          const data = new Float64Array(test.rows * 2);
          for (let r = 0; r < test.rows; r++) {
            const probability = 1 / (1 + Math.exp(-(raw[r] as number)));
            data[r * 2] = 1 - probability;
            data[r * 2 + 1] = probability;
          }
          return { rows: test.rows, cols: 2, data };
        },
      };
    }
    const probabilities = new Float64Array(classes);
    const predict = boost(
      x,
      classes,
      priors.map(Math.log),
      (raw, gradient, hessian) => {
        for (let r = 0; r < y.length; r++) {
          let max = Number.NEGATIVE_INFINITY;
          for (let k = 0; k < classes; k++) max = Math.max(max, raw[r * classes + k] as number);
          let sum = 0;
          for (let k = 0; k < classes; k++) {
            probabilities[k] = Math.exp((raw[r * classes + k] as number) - max);
            sum += probabilities[k] as number;
          }
          for (let k = 0; k < classes; k++) {
            const probability = (probabilities[k] as number) / sum;
            gradient[r * classes + k] = probability - (y[r] === k ? 1 : 0);
            hessian[r * classes + k] = probability * (1 - probability);
          }
        }
      },
      options,
      random,
    );
    return { predictProba: (test) => softmaxRows({ rows: test.rows, cols: classes, data: predict(test) }) };
  },
});
