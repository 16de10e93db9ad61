import type { DenseMatrix } from '../matrix';
import type { Random } from '../random';

/** Largest number of bins per feature (bin indices fit a byte). */
export const MAX_BINS = 255;
/**
 * Bins for an exact tree: one per distinct training value (up to 65,535 of them, bin indices in 16 bits), so its
 * thresholds are the midpoints between consecutive distinct values, as scikit-learn's exact splitter's are.
 */
export const EXACT_BINS = 65_535;

/** Bin edges per feature: bin b holds values v with edges[b−1] < v ≤ edges[b]. */
export interface Binner {
  readonly edges: readonly Float64Array[];
  apply(x: DenseMatrix): BinnedMatrix;
}

/** Binned features, column-major (bins[feature × rows + row]); bytes unless some feature has over 256 bins. */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly bins: Uint8Array | Uint16Array;
  readonly binCounts: Int32Array;
  readonly edges: readonly Float64Array[];
}

/** First index whose edge is ≥ value: the bin of `value` (searched within [from, to], default every edge). */
export const binOf = (edges: Float64Array, value: number, from = 0, to = edges.length): number => {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((edges[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
};

/**
 * Fits bin edges on training data like scikit-learn's histogram estimators: with at most `maxBins` distinct values,
 * midpoints between consecutive ones (one bin per value); otherwise midpoint quantiles at k / maxBins.
 */
export const fitBinner = (x: DenseMatrix, maxBins = MAX_BINS): Binner => {
  const edges = Array.from({ length: x.cols }, (_, j) => {
    const sorted = Float64Array.from({ length: x.rows }, (_, r) => x.data[r * x.cols + j] as number).sort();
    const distinct: number[] = [];
    for (const value of sorted)
      if (distinct.length === 0 || distinct[distinct.length - 1] !== value) distinct.push(value);
    if (distinct.length <= maxBins)
      return Float64Array.from(
        { length: Math.max(0, distinct.length - 1) },
        (_, i) => ((distinct[i] as number) + (distinct[i + 1] as number)) / 2,
      );
    const cuts: number[] = [];
    for (let k = 1; k < maxBins; k++) {
      const position = (k / maxBins) * (sorted.length - 1);
      const cut = ((sorted[Math.floor(position)] as number) + (sorted[Math.ceil(position)] as number)) / 2;
      if (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
    }
    return Float64Array.from(cuts);
  });
  return {
    edges,
    apply(matrix) {
      const wide = edges.some((featureEdges) => featureEdges.length >= 256);
      const bins = new (wide ? Uint16Array : Uint8Array)(matrix.rows * matrix.cols);
      for (let j = 0; j < matrix.cols; j++) {
        const featureEdges = edges[j] as Float64Array;
        for (let r = 0; r < matrix.rows; r++)
          bins[j * matrix.rows + r] = binOf(featureEdges, matrix.data[r * matrix.cols + j] as number);
      }
      return {
        rows: matrix.rows,
        cols: matrix.cols,
        bins,
        binCounts: Int32Array.from(edges, (e) => e.length + 1),
        edges,
      };
    },
  };
};

export interface TreeOptions {
  readonly maxDepth: number;
  /** Best-first growth up to this many leaves (HistGradientBoosting's max_leaf_nodes); Infinity grows fully. */
  readonly maxLeaves: number;
  readonly minSamplesLeaf: number;
  /** Features drawn (without replacement) as candidates at each node. */
  readonly maxFeatures: number;
  /** Extra-trees: one random threshold per candidate feature instead of the best one. */
  readonly randomThresholds: boolean;
  /** L2 regularization of leaf values (added to the weight sum). */
  readonly lambda: number;
  /** Smallest weight (hessian) sum a child may have. */
  readonly minChildWeight: number;
  /**
   * Whether large nodes keep every feature's histogram, a child's made by subtraction from its parent's (default
   * true; false builds each node's from its rows: the reference the subtraction is tested against).
   */
  readonly nodeHistograms?: boolean;
}

/**
 * What a tree is grown on: per sample `channels` statistics (a regression target, one-hot class indicators, or a
 * negative gradient) and a weight (1, or a hessian). A split's score is Σ_c S_c² / (W + λ) over its two sides, so
 * one learner finds variance-reduction splits, Gini splits and gradient-boosting splits; a leaf's value per
 * channel is S_c / (W + λ) (the mean, the class shares, or the Newton step).
 */
export interface TreeTarget {
  readonly channels: number;
  readonly stats: Float64Array;
  readonly weights: Float64Array;
}

export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf values, channels per node (internal nodes hold their values too). */
  readonly values: Float64Array;
  readonly channels: number;
}

interface Candidate {
  node: number;
  start: number;
  end: number;
  depth: number;
  count: number;
  weight: number;
  sums: Float64Array;
  /** Every feature's histogram of this node's samples (large nodes of trees that look at every feature). */
  hist?: NodeHistogram;
  split?: {
    feature: number;
    threshold: number;
    gain: number;
    leftCount: number;
    leftWeight: number;
    leftSums: Float64Array;
  };
}

/** Per feature f and bin b (index f × bins + b): sample count, weight sum and channel sums (× channels + c). */
interface NodeHistogram {
  readonly count: Float64Array;
  readonly weight: Float64Array;
  readonly sums: Float64Array;
}

/** Sample ranges of each leaf after growth: `rows[start…end)` fell into leaf `node`. */
export interface GrownTree {
  readonly tree: Tree;
  readonly rows: Int32Array;
  readonly leaves: readonly { node: number; start: number; end: number }[];
}

const SMALL_NODE = 64;

/**
 * Buffers that outlive one tree: node histograms (p × bins × channels each, the larger part of a tree's memory) are
 * handed back here when their node is done and reused by the next tree of the same forest or boosting run.
 */
export interface TreeWorkspace {
  readonly spare: NodeHistogram[];
}

export const treeWorkspace = (): TreeWorkspace => ({ spare: [] });

/** Grows one tree on the samples `rows` (duplicates allowed: a bootstrap). */
export const growTree = (
  binned: BinnedMatrix,
  target: TreeTarget,
  sampleRows: Int32Array,
  options: TreeOptions,
  random: Random,
  workspace: TreeWorkspace = treeWorkspace(),
): GrownTree => {
  const { channels: m, stats, weights } = target;
  const n = binned.rows;
  const p = binned.cols;
  const rows = Int32Array.from(sampleRows);
  const scratch = new Int32Array(rows.length);
  const featureOrder = Int32Array.from({ length: p }, (_, j) => j);
  const maxBins = binned.binCounts.reduce((max, count) => Math.max(max, count), 1);
  const histCount = new Float64Array(maxBins);
  const histWeight = new Float64Array(maxBins);
  const histSums = new Float64Array(maxBins * m);
  // Sort keys bin × 65,536 + position in the node: nodes of at most SMALL_NODE samples, or any node small next to
  // its feature's bins (exact trees)
  const sortKeys = new Uint32Array(maxBins > 256 ? Math.min(rows.length, 65_536) : SMALL_NODE);
  const leftSums = new Float64Array(m);
  const lambda = options.lambda;
  // A node's statistics (and weights) in its row order, gathered once per node so that the per-feature loops read
  // them sequentially instead of at random (scikit-learn's "ordered gradients"); single-channel trees only.
  const orderedStats = new Float64Array(m === 1 ? rows.length : 0);
  const orderedWeights = new Float64Array(m === 1 ? rows.length : 0);
  let orderedFor = -1;

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const values: number[] = [];
  const newNode = (sums: Float64Array, weight: number) => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    for (let c = 0; c < m; c++) values.push((sums[c] as number) / (weight + lambda || 1));
    return feature.length - 1;
  };
  const score = (sums: ArrayLike<number>, weight: number, offset = 0) => {
    let total = 0;
    for (let c = 0; c < m; c++) total += (sums[offset + c] as number) ** 2;
    return total / (weight + lambda);
  };

  // The best split of the node being searched, kept in locals of the closure (no allocation per bin).
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestCount = 0;
  let bestWeight = 0;
  const bestSums = new Float64Array(m);

  /** Records a better split (its left side's channel sums are the caller's to copy). */
  const keepBest = (gain: number, f: number, bin: number, count: number, weight: number) => {
    bestGain = gain;
    bestFeature = f;
    bestBin = bin;
    bestCount = count;
    bestWeight = weight;
  };

  /** Scores "bins ≤ bin go left" given the left side's totals; keeps it when it beats the best so far. */
  const consider = (
    candidate: Candidate,
    parentScore: number,
    f: number,
    bin: number,
    count: number,
    weight: number,
    sums: Float64Array,
  ) => {
    const rightWeight = candidate.weight - weight;
    if (count < options.minSamplesLeaf || candidate.count - count < options.minSamplesLeaf) return;
    if (weight < options.minChildWeight || rightWeight < options.minChildWeight) return;
    let leftScore = 0;
    let rightScore = 0;
    for (let c = 0; c < m; c++) {
      const leftSum = sums[c] as number;
      const rightSum = (candidate.sums[c] as number) - leftSum;
      leftScore += leftSum * leftSum;
      rightScore += rightSum * rightSum;
    }
    const gain = leftScore / (weight + lambda) + rightScore / (rightWeight + lambda) - parentScore;
    if (gain > bestGain) {
      keepBest(gain, f, bin, count, weight);
      bestSums.set(sums);
    }
  };

  // The node findSplit is searching and its score, for the single-channel scans.
  let searchedWeight = 0;
  let searchedSum = 0;
  let searchedScore = 0;
  /**
   * One channel: scores "bins ≤ bin of feature f go left" in the searched node from the left side's count, weight
   * and sum (the caller has checked the sample counts) and keeps it when it beats the best so far.
   */
  const considerOne = (f: number, bin: number, count: number, weight: number, sum: number) => {
    const rightWeight = searchedWeight - weight;
    if (weight < options.minChildWeight || rightWeight < options.minChildWeight) return;
    const rightSum = searchedSum - sum;
    const gain =
      (sum * sum) / (weight + lambda) + (rightSum * rightSum) / (rightWeight + lambda) - searchedScore;
    if (gain > bestGain) {
      keepBest(gain, f, bin, count, weight);
      bestSums[0] = sum;
    }
  };

  /** Sorts keys[0…length): insertion sort for a node of at most SMALL_NODE samples, the native sort beyond. */
  const sortKeysOf = (keys: Uint32Array, length: number) => {
    if (length > SMALL_NODE) {
      keys.subarray(0, length).sort();
      return;
    }
    for (let i = 1; i < length; i++) {
      const key = keys[i] as number;
      let j = i - 1;
      while (j >= 0 && (keys[j] as number) > key) {
        keys[j + 1] = keys[j] as number;
        j--;
      }
      keys[j + 1] = key;
    }
  };

  /** Scans a feature's bins (at `base` of the given histogram arrays) for the best "bins ≤ b go left" split. */
  const scanHistogram = (
    candidate: Candidate,
    parentScore: number,
    f: number,
    binCount: number,
    counts: Float64Array,
    binWeights: Float64Array,
    binSums: Float64Array,
    base: number,
  ) => {
    const nodeSize = candidate.end - candidate.start;
    if (m === 1) {
      // The common single-channel case (regression trees, boosting) scanned inline.
      const minLeaf = options.minSamplesLeaf;
      let count = 0;
      let weight = 0;
      let sum = 0;
      for (let bin = 0; bin < binCount - 1; bin++) {
        const binSamples = counts[base + bin] as number;
        if (binSamples === 0) continue;
        count += binSamples;
        weight += binWeights[base + bin] as number;
        sum += binSums[base + bin] as number;
        if (nodeSize - count < minLeaf) break;
        if (count >= minLeaf) considerOne(f, bin, count, weight, sum);
      }
      return;
    }
    let count = 0;
    let weight = 0;
    leftSums.fill(0);
    for (let bin = 0; bin < binCount - 1; bin++) {
      if (counts[base + bin] === 0) continue;
      count += counts[base + bin] as number;
      weight += binWeights[base + bin] as number;
      for (let c = 0; c < m; c++)
        leftSums[c] = (leftSums[c] as number) + (binSums[(base + bin) * m + c] as number);
      if (count === nodeSize) break;
      consider(candidate, parentScore, f, bin, count, weight, leftSums);
    }
  };

  /** Gathers rows[start…end)'s statistics into `orderedStats[start…end)` (once per node and row order). */
  const orderRows = (start: number, end: number) => {
    if (orderedFor === start * (rows.length + 1) + end) return;
    orderedFor = start * (rows.length + 1) + end;
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      orderedStats[i] = stats[row] as number;
      orderedWeights[i] = weights[row] as number;
    }
  };

  // Unit weights (every tree but a classifier's boosting rounds): a bin's weight is its count, not summed apart.
  let unitWeights = true;
  for (let i = 0; i < weights.length && unitWeights; i++) unitWeights = weights[i] === 1;
  /** Node histograms are pooled: a split's larger child takes over its parent's, updated by subtraction. */
  const spare = workspace.spare;
  const histogramSize = p * maxBins;
  const takeHistogram = (): NodeHistogram => {
    let reused = spare.pop();
    while (reused && (reused.count.length !== histogramSize || reused.sums.length !== histogramSize * m))
      reused = spare.pop();
    if (reused) {
      reused.count.fill(0);
      reused.weight.fill(0);
      reused.sums.fill(0);
      return reused;
    }
    return {
      count: new Float64Array(p * maxBins),
      weight: new Float64Array(p * maxBins),
      sums: new Float64Array(p * maxBins * m),
    };
  };
  /** Adds (sign 1) or removes (sign −1) the samples rows[start…end) to or from every feature's histogram. */
  const addRows = (hist: NodeHistogram, start: number, end: number, sign: number) => {
    const { count, weight, sums } = hist;
    const bins = binned.bins;
    if (m === 1) orderRows(start, end);
    for (let f = 0; f < p; f++) {
      const column = f * n;
      const base = f * maxBins;
      if (m === 1 && unitWeights)
        for (let i = start; i < end; i++) {
          const at = base + (bins[column + (rows[i] as number)] as number);
          count[at] = (count[at] as number) + sign;
          sums[at] = (sums[at] as number) + sign * (orderedStats[i] as number);
        }
      else if (m === 1)
        for (let i = start; i < end; i++) {
          const at = base + (bins[column + (rows[i] as number)] as number);
          count[at] = (count[at] as number) + sign;
          weight[at] = (weight[at] as number) + sign * (orderedWeights[i] as number);
          sums[at] = (sums[at] as number) + sign * (orderedStats[i] as number);
        }
      else
        for (let i = start; i < end; i++) {
          const row = rows[i] as number;
          const at = base + (binned.bins[column + row] as number);
          count[at] = (count[at] as number) + sign;
          weight[at] = (weight[at] as number) + sign * (weights[row] as number);
          for (let c = 0; c < m; c++)
            sums[at * m + c] = (sums[at * m + c] as number) + sign * (stats[row * m + c] as number);
        }
    }
  };
  const subtract = (from: NodeHistogram, part: NodeHistogram) => {
    for (let i = 0; i < from.count.length; i++)
      from.count[i] = (from.count[i] as number) - (part.count[i] as number);
    if (!unitWeights)
      for (let i = 0; i < from.weight.length; i++)
        from.weight[i] = (from.weight[i] as number) - (part.weight[i] as number);
    for (let i = 0; i < from.sums.length; i++)
      from.sums[i] = (from.sums[i] as number) - (part.sums[i] as number);
  };
  /**
   * Trees that weigh every feature at every node keep histograms for nodes too large for the sort path (best
   * splits), or with more samples than bins (extra trees, whose row path reads a node's samples twice per feature).
   */
  const histograms = options.nodeHistograms !== false && options.maxFeatures >= p;
  const smallestWithHistogram = options.randomThresholds ? maxBins : SMALL_NODE;
  const wantsHistogram = (count: number) => histograms && count > smallestWithHistogram;
  /**
   * Histograms of a split's children from the parent's: the smaller child's rows are taken out of the parent's
   * histogram, which becomes the larger child's; the smaller child gets its own only when it needs one.
   */
  const childHistograms = (parent: NodeHistogram | undefined, small: Candidate, large: Candidate) => {
    if (!parent) return;
    if (!wantsHistogram(large.count)) {
      spare.push(parent);
      return;
    }
    if (wantsHistogram(small.count)) {
      const own = takeHistogram();
      addRows(own, small.start, small.end, 1);
      if (small.count < maxBins) addRows(parent, small.start, small.end, -1);
      else subtract(parent, own);
      small.hist = own;
    } else addRows(parent, small.start, small.end, -1);
    large.hist = parent;
  };

  const findSplit = (candidate: Candidate) => {
    const { start, end } = candidate;
    const nodeSize = end - start;
    const parentScore = score(candidate.sums, candidate.weight);
    searchedWeight = candidate.weight;
    searchedSum = candidate.sums[0] as number;
    searchedScore = parentScore;
    bestGain = 1e-12 * Math.abs(parentScore) + 1e-300;
    bestFeature = -1;
    const draws = Math.min(options.maxFeatures, p);
    for (let d = 0; d < draws; d++) {
      const swapWith = d + random.int(p - d);
      const f = featureOrder[swapWith] as number;
      featureOrder[swapWith] = featureOrder[d] as number;
      featureOrder[d] = f;
      const column = f * n;
      const binCount = binned.binCounts[f] as number;
      if (binCount < 2) continue;
      const hist = candidate.hist;
      if (options.randomThresholds) {
        // Extra trees: one uniform threshold between the node's smallest and largest value of the feature.
        const base = f * maxBins;
        let low = binCount;
        let high = -1;
        let rowHistogram = false;
        if (hist) {
          for (let bin = 0; bin < binCount; bin++)
            if ((hist.count[base + bin] as number) > 0) {
              if (low === binCount) low = bin;
              high = bin;
            }
        } else if (m === 1 && nodeSize > binCount) {
          // One pass: this feature's histogram of the node (count and sum per bin) gives both the range and, below,
          // the left side's totals.
          orderRows(start, end);
          histCount.fill(0, 0, binCount);
          histSums.fill(0, 0, binCount);
          if (!unitWeights) histWeight.fill(0, 0, binCount);
          for (let i = start; i < end; i++) {
            const bin = binned.bins[column + (rows[i] as number)] as number;
            histCount[bin] = (histCount[bin] as number) + 1;
            histSums[bin] = (histSums[bin] as number) + (orderedStats[i] as number);
            if (!unitWeights) histWeight[bin] = (histWeight[bin] as number) + (orderedWeights[i] as number);
          }
          for (let bin = 0; bin < binCount; bin++)
            if ((histCount[bin] as number) > 0) {
              if (low === binCount) low = bin;
              high = bin;
            }
          rowHistogram = true;
        } else
          for (let i = start; i < end; i++) {
            const bin = binned.bins[column + (rows[i] as number)] as number;
            if (bin < low) low = bin;
            if (bin > high) high = bin;
          }
        if (low >= high) continue;
        const edges = binned.edges[f] as Float64Array;
        const from = edges[low] as number;
        const to = edges[high - 1] as number;
        // the first edge ≥ the threshold lies in edges[low…high−1] (from and to are edges[low] and edges[high−1])
        const cut = binOf(edges, from + random.next() * (to - from), low, high - 1);
        for (let c = 0; c < m; c++) leftSums[c] = 0;
        let count = 0;
        let weight = 0;
        if (hist)
          for (let bin = low; bin <= cut; bin++) {
            const at = base + bin;
            count += hist.count[at] as number;
            weight += (unitWeights ? hist.count[at] : hist.weight[at]) as number;
            for (let c = 0; c < m; c++)
              leftSums[c] = (leftSums[c] as number) + (hist.sums[at * m + c] as number);
          }
        else if (rowHistogram) {
          let sum = 0;
          for (let bin = low; bin <= cut; bin++) {
            count += histCount[bin] as number;
            weight += (unitWeights ? histCount[bin] : histWeight[bin]) as number;
            sum += histSums[bin] as number;
          }
          leftSums[0] = sum;
        } else if (m === 1) {
          orderRows(start, end);
          let sum = 0;
          for (let i = start; i < end; i++) {
            if ((binned.bins[column + (rows[i] as number)] as number) > cut) continue;
            count++;
            weight += orderedWeights[i] as number;
            sum += orderedStats[i] as number;
          }
          leftSums[0] = sum;
        } else
          for (let i = start; i < end; i++) {
            const row = rows[i] as number;
            if ((binned.bins[column + row] as number) > cut) continue;
            count++;
            weight += weights[row] as number;
            for (let c = 0; c < m; c++)
              leftSums[c] = (leftSums[c] as number) + (stats[row * m + c] as number);
          }
        consider(candidate, parentScore, f, cut, count, weight, leftSums);
      } else if (hist) {
        scanHistogram(
          candidate,
          parentScore,
          f,
          binCount,
          hist.count,
          unitWeights ? hist.count : hist.weight,
          hist.sums,
          f * maxBins,
        );
      } else if (
        nodeSize < binCount &&
        (nodeSize <= SMALL_NODE || (nodeSize * 16 < binCount && nodeSize <= sortKeys.length))
      ) {
        // Few samples next to the bins: sort them by bin instead of scanning every bin.
        for (let i = 0; i < nodeSize; i++)
          sortKeys[i] = (binned.bins[column + (rows[start + i] as number)] as number) * 65_536 + i;
        sortKeysOf(sortKeys, nodeSize);
        if (m === 1) {
          // The single-channel case (regression, two classes, boosting) scanned inline, as in scanHistogram.
          orderRows(start, end);
          const minLeaf = options.minSamplesLeaf;
          let count = 0;
          let weight = 0;
          let sum = 0;
          for (let i = 0; i < nodeSize - 1; i++) {
            const key = sortKeys[i] as number;
            const at = start + (key & 0xffff);
            count++;
            weight += orderedWeights[at] as number;
            sum += orderedStats[at] as number;
            const bin = key >>> 16;
            if ((sortKeys[i + 1] as number) >>> 16 === bin || count < minLeaf) continue;
            if (nodeSize - count < minLeaf) break;
            considerOne(f, bin, count, weight, sum);
          }
          continue;
        }
        leftSums.fill(0);
        let count = 0;
        let weight = 0;
        for (let i = 0; i < nodeSize - 1; i++) {
          const key = sortKeys[i] as number;
          const row = rows[start + (key & 0xffff)] as number;
          count++;
          weight += weights[row] as number;
          for (let c = 0; c < m; c++) leftSums[c] = (leftSums[c] as number) + (stats[row * m + c] as number);
          const bin = key >>> 16;
          if ((sortKeys[i + 1] as number) >>> 16 !== bin)
            consider(candidate, parentScore, f, bin, count, weight, leftSums);
        }
      } else if (m === 1) {
        orderRows(start, end);
        histCount.fill(0, 0, binCount);
        histSums.fill(0, 0, binCount);
        if (unitWeights)
          for (let i = start; i < end; i++) {
            const bin = binned.bins[column + (rows[i] as number)] as number;
            histCount[bin] = (histCount[bin] as number) + 1;
            histSums[bin] = (histSums[bin] as number) + (orderedStats[i] as number);
          }
        else {
          histWeight.fill(0, 0, binCount);
          for (let i = start; i < end; i++) {
            const bin = binned.bins[column + (rows[i] as number)] as number;
            histCount[bin] = (histCount[bin] as number) + 1;
            histWeight[bin] = (histWeight[bin] as number) + (orderedWeights[i] as number);
            histSums[bin] = (histSums[bin] as number) + (orderedStats[i] as number);
          }
        }
        scanHistogram(
          candidate,
          parentScore,
          f,
          binCount,
          histCount,
          unitWeights ? histCount : histWeight,
          histSums,
          0,
        );
      } else {
        histCount.fill(0, 0, binCount);
        histWeight.fill(0, 0, binCount);
        histSums.fill(0, 0, binCount * m);
        for (let i = start; i < end; i++) {
          const row = rows[i] as number;
          const bin = binned.bins[column + row] as number;
          histCount[bin] = (histCount[bin] as number) + 1;
          histWeight[bin] = (histWeight[bin] as number) + (weights[row] as number);
          if (m === 1) histSums[bin] = (histSums[bin] as number) + (stats[row] as number);
          else
            for (let c = 0; c < m; c++)
              histSums[bin * m + c] = (histSums[bin * m + c] as number) + (stats[row * m + c] as number);
        }
        scanHistogram(candidate, parentScore, f, binCount, histCount, histWeight, histSums, 0);
      }
    }
    if (bestFeature >= 0)
      candidate.split = {
        feature: bestFeature,
        threshold: bestBin,
        gain: bestGain,
        leftCount: bestCount,
        leftWeight: bestWeight,
        leftSums: Float64Array.from(bestSums),
      };
  };

  const rootSums = new Float64Array(m);
  let rootWeight = 0;
  for (const row of rows) {
    rootWeight += weights[row] as number;
    for (let c = 0; c < m; c++) rootSums[c] = (rootSums[c] as number) + (stats[row * m + c] as number);
  }
  const root: Candidate = {
    node: newNode(rootSums, rootWeight),
    start: 0,
    end: rows.length,
    depth: 0,
    count: rows.length,
    weight: rootWeight,
    sums: rootSums,
  };
  const leaves: { node: number; start: number; end: number }[] = [];
  const open: Candidate[] = [];
  // Class indicators (0/1, one channel per class or the class-1 indicator alone) with unit weights: a node whose
  // samples are all of one class cannot be split with any gain, and is a leaf at once, as scikit-learn's pure nodes
  // are (no features drawn for it).
  let indicators = unitWeights;
  for (let i = 0; i < stats.length && indicators; i++) indicators = stats[i] === 0 || stats[i] === 1;
  for (let row = 0; row < n && indicators && m > 1; row++) {
    let ones = 0;
    for (let c = 0; c < m; c++) ones += stats[row * m + c] as number;
    indicators = ones === 1;
  }
  const pure = (candidate: Candidate) => {
    if (!indicators) return false;
    const first = candidate.sums[0] as number;
    if (m === 1) return first === 0 || first === candidate.count;
    for (let c = 0; c < m; c++) if (candidate.sums[c] === candidate.count) return true;
    return false;
  };
  const canSplit = (candidate: Candidate) =>
    candidate.depth < options.maxDepth &&
    candidate.count >= 2 * options.minSamplesLeaf &&
    candidate.count >= 2 &&
    !pure(candidate);
  const enqueue = (candidate: Candidate) => {
    if (canSplit(candidate)) findSplit(candidate);
    if (candidate.split) open.push(candidate);
    else {
      if (candidate.hist) spare.push(candidate.hist);
      candidate.hist = undefined;
      leaves.push({ node: candidate.node, start: candidate.start, end: candidate.end });
    }
  };
  if (wantsHistogram(root.count)) {
    root.hist = takeHistogram();
    addRows(root.hist, 0, rows.length, 1);
  }
  enqueue(root);
  let leafCount = 1;
  const bestFirst = Number.isFinite(options.maxLeaves);
  while (open.length > 0) {
    let pick = open.length - 1;
    if (bestFirst) {
      if (leafCount >= options.maxLeaves) break;
      for (let i = 0; i < open.length; i++)
        if ((open[i]?.split?.gain ?? 0) > (open[pick]?.split?.gain ?? 0)) pick = i;
    }
    const candidate = open[pick] as Candidate;
    open[pick] = open[open.length - 1] as Candidate;
    open.pop();
    const split = candidate.split;
    if (!split) continue;
    const column = split.feature * n;
    let lo = candidate.start;
    let hi = 0;
    for (let i = candidate.start; i < candidate.end; i++) {
      const row = rows[i] as number;
      if ((binned.bins[column + row] as number) <= split.threshold) rows[lo++] = row;
      else scratch[hi++] = row;
    }
    rows.set(scratch.subarray(0, hi), lo);
    const rightSums = candidate.sums.map((sum, c) => sum - (split.leftSums[c] as number));
    const rightWeight = candidate.weight - split.leftWeight;
    const leftChild: Candidate = {
      node: newNode(split.leftSums, split.leftWeight),
      start: candidate.start,
      end: lo,
      depth: candidate.depth + 1,
      count: split.leftCount,
      weight: split.leftWeight,
      sums: Float64Array.from(split.leftSums),
    };
    const rightChild: Candidate = {
      node: newNode(rightSums, rightWeight),
      start: lo,
      end: candidate.end,
      depth: candidate.depth + 1,
      count: candidate.count - split.leftCount,
      weight: rightWeight,
      sums: rightSums,
    };
    feature[candidate.node] = split.feature;
    threshold[candidate.node] = split.threshold;
    left[candidate.node] = leftChild.node;
    right[candidate.node] = rightChild.node;
    leafCount++;
    const parentHistogram = candidate.hist;
    candidate.hist = undefined;
    if (leftChild.count <= rightChild.count) childHistograms(parentHistogram, leftChild, rightChild);
    else childHistograms(parentHistogram, rightChild, leftChild);
    enqueue(leftChild);
    enqueue(rightChild);
  }
  for (const candidate of open) {
    if (candidate.hist) spare.push(candidate.hist);
    candidate.hist = undefined;
    leaves.push({ node: candidate.node, start: candidate.start, end: candidate.end });
  }
  return {
    tree: {
      feature: Int32Array.from(feature),
      threshold: Int32Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      values: Float64Array.from(values),
      channels: m,
    },
    rows,
    leaves,
  };
};

/** Index of the leaf each row of a binned matrix falls into. */
export const leafIndices = (tree: Tree, binned: BinnedMatrix): Int32Array => {
  const out = new Int32Array(binned.rows);
  for (let r = 0; r < binned.rows; r++) {
    let node = 0;
    while ((tree.feature[node] as number) >= 0) {
      const f = tree.feature[node] as number;
      node =
        (binned.bins[f * binned.rows + r] as number) <= (tree.threshold[node] as number)
          ? (tree.left[node] as number)
          : (tree.right[node] as number);
    }
    out[r] = node;
  }
  return out;
};
