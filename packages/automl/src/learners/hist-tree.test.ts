import { fromRows } from '../matrix';
import { seededRandom } from '../random';
import { fitBinner, growTree, type TreeOptions, type TreeTarget } from './hist-tree';

// Integer features, statistics and weights: every sum is exact in float64, so a histogram made by subtracting a
// child's from its parent's equals one built from the child's rows, bit for bit, and both trees must be identical.
const random = seededRandom(21);
const rows = 900;
const x = fromRows(
  Array.from({ length: rows }, () => Array.from({ length: 6 }, (_, j) => random.int(j === 0 ? 300 : 40))),
);
const binned = fitBinner(x).apply(x);
const full: TreeOptions = {
  maxDepth: Number.POSITIVE_INFINITY,
  maxLeaves: Number.POSITIVE_INFINITY,
  minSamplesLeaf: 1,
  maxFeatures: 6,
  randomThresholds: false,
  lambda: 0,
  minChildWeight: 0,
};
const grownBoth = (target: TreeTarget, sample: Int32Array, options: TreeOptions) =>
  [true, false].map((nodeHistograms) => {
    const grown = growTree(binned, target, sample, { ...options, nodeHistograms }, seededRandom(5));
    return { tree: grown.tree, leaves: grown.leaves };
  });
const allRows = Int32Array.from({ length: rows }, (_, i) => i);

describe('node histograms by subtraction', () => {
  it('grow the same full regression tree as histograms built from rows (unit weights, bootstrap rows)', () => {
    const stats = Float64Array.from({ length: rows }, (_, r) => (x.data[r * 6] as number) % 17);
    const bootstrap = Int32Array.from({ length: rows }, () => random.int(rows));
    const [subtracted, built] = grownBoth(
      { channels: 1, stats, weights: new Float64Array(rows).fill(1) },
      bootstrap,
      full,
    );
    expect(subtracted).toEqual(built);
    // a full tree on 900 samples has far more nodes than the 64-sample sort path could hide
    expect(subtracted?.tree.feature.length).toBeGreaterThan(200);
  });

  it('grow the same extra tree (random thresholds read from the histogram instead of the rows)', () => {
    const stats = Float64Array.from({ length: rows }, (_, r) => (x.data[r * 6 + 4] as number) % 11);
    const [subtracted, built] = grownBoth(
      { channels: 1, stats, weights: new Float64Array(rows).fill(1) },
      allRows,
      { ...full, randomThresholds: true },
    );
    expect(subtracted).toEqual(built);
    expect(subtracted?.tree.feature.length).toBeGreaterThan(200);
  });

  it('grow the same best-first tree with weights (boosting-like) and the same Gini tree (two channels)', () => {
    const stats = Float64Array.from({ length: rows }, (_, r) => ((x.data[r * 6 + 1] as number) % 7) - 3);
    const weights = Float64Array.from({ length: rows }, (_, r) => 1 + ((x.data[r * 6 + 2] as number) % 3));
    const boosting = { ...full, maxLeaves: 31, minSamplesLeaf: 20, minChildWeight: 1e-3 };
    const [subtracted, built] = grownBoth({ channels: 1, stats, weights }, allRows, boosting);
    expect(subtracted).toEqual(built);
    expect(subtracted?.leaves).toHaveLength(31);
    const classes = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) classes[r * 2 + ((x.data[r * 6 + 3] as number) > 20 ? 1 : 0)] = 1;
    const [gini, giniBuilt] = grownBoth(
      { channels: 2, stats: classes, weights: new Float64Array(rows).fill(1) },
      allRows,
      full,
    );
    expect(gini).toEqual(giniBuilt);
  });
});

describe('two classes on one channel', () => {
  it('grow the Gini tree of the one-hot pair: same splits, the class-1 share as the leaf value', () => {
    // (S₀² + S₁²)/W = W − 2S₁ + 2S₁²/W with S₀ = W − S₁: Gini gains are twice the indicator's variance gains
    const label = Int32Array.from({ length: rows }, (_, r) => ((x.data[r * 6 + 3] as number) > 20 ? 1 : 0));
    const oneHot = new Float64Array(rows * 2);
    label.forEach((value, r) => {
      oneHot[r * 2 + value] = 1;
    });
    const ones = new Float64Array(rows).fill(1);
    const pair = growTree(
      binned,
      { channels: 2, stats: oneHot, weights: ones },
      allRows,
      full,
      seededRandom(5),
    );
    const single = growTree(
      binned,
      { channels: 1, stats: Float64Array.from(label), weights: ones },
      allRows,
      full,
      seededRandom(5),
    );
    expect(Array.from(single.tree.feature)).toEqual(Array.from(pair.tree.feature));
    expect(Array.from(single.tree.threshold)).toEqual(Array.from(pair.tree.threshold));
    single.tree.values.forEach((share, node) => {
      expect(pair.tree.values[node * 2 + 1]).toBeCloseTo(share, 12);
    });
    // a fully grown tree stops at pure nodes: every leaf holds one class only
    for (const leaf of single.leaves) {
      const classes = new Set(Array.from(single.rows.subarray(leaf.start, leaf.end), (row) => label[row]));
      expect(classes.size).toBe(1);
    }
  });
});
