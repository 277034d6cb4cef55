/**
 * A small CART (classification and regression trees), written for mlcycle because ml-cart and
 * ml-random-forest cannot sample features per split: ml-random-forest draws one feature subset per
 * tree, so its "random forest" is bagged CART, and ml-cart always stops on `minNumSamples` and a gain
 * threshold. This one follows scikit-learn's tree builder: Gini impurity (classification) or squared
 * error (regression), an exhaustive search over the midpoints between consecutive distinct values of
 * each candidate feature, a fresh random subset of `maxFeatures` features at every split (features
 * that are constant in the node do not count towards it), and sample weights (a bootstrap's counts).
 */

/** A fitted tree as flat arrays (scikit-learn's layout). `feature[i] < 0` marks a leaf. */
export interface CartTree {
  /** Split feature per node; -1 for a leaf. */
  feature: number[];
  /** Rows with `x[feature] <= threshold` go left. */
  threshold: number[];
  left: number[];
  right: number[];
  /** Per leaf: the weighted class shares (classification) or `[mean]` (regression); `[]` for a split node. */
  value: number[][];
}

/** Training rows, column-major for cache-friendly sorting. */
export interface CartData {
  /** `columns[j][i]`: feature j of row i. */
  columns: Float64Array[];
  /** Class index (classification) or value (regression) per row. */
  y: Float64Array;
  /** Number of classes; 0 for regression. */
  classes: number;
}

export interface CartOptions {
  /** Features drawn at each split (clamped to 1..features). */
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Uniform [0, 1) source for the feature draws (and the search order when all are drawn). */
  rand: () => number;
}

const FEATURE_EPS = 1e-7; // scikit-learn's FEATURE_THRESHOLD: closer values are one value
const IMPURITY_EPS = 1e-7;

/**
 * Column-major rows for `growTree`.
 * @example
 * const data = cartData([[1, 2], [3, 4]], [0, 1], 2);
 */
export function cartData(x: number[][], y: number[], classes: number): CartData {
  const d = x[0]?.length ?? 0;
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from(x, (row) => row[j]));
  return { columns, y: Float64Array.from(y), classes };
}

/**
 * Grows one tree on the rows `samples` (distinct indices) with weights `weights` (indexed by row;
 * a bootstrap passes its draw counts, a plain tree passes ones).
 * @example
 * const tree = growTree(data, Int32Array.from(data.y, (_, i) => i), new Float64Array(data.y.length).fill(1),
 *   { maxFeatures: 4, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, rand: prng(0) });
 */
export function growTree(data: CartData, samples: Int32Array, weights: Float64Array, o: CartOptions): CartTree {
  const d = data.columns.length;
  const maxFeatures = Math.max(1, Math.min(d, Math.floor(o.maxFeatures)));
  const tree: CartTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const order = new Int32Array(samples.length);
  const featureIds = Int32Array.from({ length: d }, (_, j) => j);
  const stats = new Stats(data, weights);
  const stack: Array<{ start: number; end: number; depth: number; parent: number; isLeft: boolean }> = [
    { start: 0, end: samples.length, depth: 0, parent: -1, isLeft: false },
  ];
  while (stack.length) {
    const { start, end, depth, parent, isLeft } = stack.pop()!;
    const id = tree.feature.length;
    if (parent >= 0) (isLeft ? tree.left : tree.right)[parent] = id;
    tree.feature.push(-1), tree.threshold.push(0), tree.left.push(-1), tree.right.push(-1), tree.value.push([]);
    stats.reset(samples, start, end);
    const n = end - start;
    const leaf = n < o.minSamplesSplit || n < 2 * o.minSamplesLeaf || depth >= o.maxDepth || stats.impurity() <= IMPURITY_EPS;
    const split = leaf ? undefined : bestSplit(data, samples, start, end, stats, featureIds, maxFeatures, order, o);
    if (!split) {
      tree.value[id] = stats.leafValue();
      continue;
    }
    tree.feature[id] = split.feature;
    tree.threshold[id] = split.threshold;
    const mid = partition(samples, start, end, data.columns[split.feature], split.threshold);
    // Right pushed first so the left subtree is numbered first (pre-order, like scikit-learn).
    stack.push({ start: mid, end, depth: depth + 1, parent: id, isLeft: false });
    stack.push({ start, end: mid, depth: depth + 1, parent: id, isLeft: true });
  }
  return tree;
}

/**
 * The leaf value a row falls into: class shares or `[mean]`.
 * @example
 * predictTree(tree, [5.1, 3.5, 1.4, 0.2]); // [1, 0, 0]
 */
export function predictTree(tree: CartTree, row: ArrayLike<number>): number[] {
  let node = 0;
  while (tree.feature[node] >= 0) node = row[tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}

interface Split {
  feature: number;
  threshold: number;
}

/** Draws features without replacement until `maxFeatures` non-constant ones were searched. */
function bestSplit(
  data: CartData, samples: Int32Array, start: number, end: number, stats: Stats,
  featureIds: Int32Array, maxFeatures: number, order: Int32Array, o: CartOptions,
): Split | undefined {
  const d = featureIds.length;
  const m = end - start;
  let best: Split | undefined;
  let bestProxy = -Infinity;
  let searched = 0;
  for (let drawn = 0; drawn < d && searched < maxFeatures; drawn++) {
    // Drawn in random order even when all are searched: equally good splits then go to a random
    // feature, not always the first column (scikit-learn does the same).
    const k = drawn + Math.floor(o.rand() * (d - drawn));
    [featureIds[drawn], featureIds[k]] = [featureIds[k], featureIds[drawn]];
    const f = featureIds[drawn];
    const col = data.columns[f];
    const sorted = order.subarray(0, m);
    sorted.set(samples.subarray(start, end));
    sorted.sort((a, b) => col[a] - col[b]);
    if (col[sorted[m - 1]] <= col[sorted[0]] + FEATURE_EPS) continue; // constant here: draw another
    searched++;
    stats.startScan();
    for (let p = 0; p < m - 1; p++) {
      stats.moveLeft(sorted[p]);
      const [lo, hi] = [col[sorted[p]], col[sorted[p + 1]]];
      if (hi <= lo + FEATURE_EPS) continue;
      if (p + 1 < o.minSamplesLeaf || m - p - 1 < o.minSamplesLeaf) continue;
      const proxy = stats.proxy();
      if (proxy > bestProxy) {
        bestProxy = proxy;
        let threshold = lo / 2 + hi / 2;
        if (threshold >= hi || !Number.isFinite(threshold)) threshold = lo;
        best = { feature: f, threshold };
      }
    }
  }
  return best;
}

/** Moves rows with `col <= threshold` to the front of [start, end); returns where the right side begins. */
function partition(samples: Int32Array, start: number, end: number, col: Float64Array, threshold: number): number {
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if (col[samples[i]] <= threshold) i++;
    else {
      [samples[i], samples[j]] = [samples[j], samples[i]];
      j--;
    }
  }
  return i;
}

/**
 * Weighted node statistics: class weights (Gini) or Σw, Σwy, Σwy² (squared error), and the left
 * side's running share during a scan. `proxy()` is what scikit-learn maximises: for Gini
 * Σ_k L_k²/W_L + Σ_k R_k²/W_R, for squared error S_L²/W_L + S_R²/W_R; both rank splits exactly as
 * the weighted child impurity does.
 */
class Stats {
  private readonly k: number;
  private readonly total: Float64Array;
  private readonly left: Float64Array;
  private w = 0;
  private wy = 0;
  private wyy = 0;
  private lw = 0;
  private lwy = 0;

  constructor(private readonly data: CartData, private readonly weights: Float64Array) {
    this.k = data.classes;
    this.total = new Float64Array(Math.max(1, this.k));
    this.left = new Float64Array(Math.max(1, this.k));
  }

  reset(samples: Int32Array, start: number, end: number): void {
    const { y } = this.data;
    this.total.fill(0);
    this.w = this.wy = this.wyy = 0;
    for (let p = start; p < end; p++) {
      const i = samples[p];
      const w = this.weights[i];
      this.w += w;
      if (this.k) this.total[y[i]] += w;
      else (this.wy += w * y[i]), (this.wyy += w * y[i] * y[i]);
    }
  }

  impurity(): number {
    if (this.k) {
      let sq = 0;
      for (let c = 0; c < this.k; c++) sq += (this.total[c] / this.w) ** 2;
      return 1 - sq;
    }
    const mean = this.wy / this.w;
    return this.wyy / this.w - mean * mean;
  }

  leafValue(): number[] {
    if (this.k) return Array.from(this.total, (v) => v / this.w);
    return [this.wy / this.w];
  }

  startScan(): void {
    this.left.fill(0);
    this.lw = this.lwy = 0;
  }

  moveLeft(i: number): void {
    const w = this.weights[i];
    this.lw += w;
    if (this.k) this.left[this.data.y[i]] += w;
    else this.lwy += w * this.data.y[i];
  }

  proxy(): number {
    const rw = this.w - this.lw;
    if (this.k) {
      let l = 0;
      let r = 0;
      for (let c = 0; c < this.k; c++) {
        l += this.left[c] * this.left[c];
        const rc = this.total[c] - this.left[c];
        r += rc * rc;
      }
      return l / this.lw + r / rw;
    }
    const rwy = this.wy - this.lwy;
    return (this.lwy * this.lwy) / this.lw + (rwy * rwy) / rw;
  }
}
