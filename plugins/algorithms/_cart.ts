/**
 * A small CART (classification and regression trees), written for mlcycle because ml-cart and
 * ml-random-forest cannot sample features per split: ml-random-forest draws one feature subset per
 * tree, so its "random forest" is bagged CART, and ml-cart always stops on `minNumSamples` and a gain
 * threshold. This one follows scikit-learn's tree builder: Gini impurity (classification) or squared
 * error (regression), an exhaustive search over the midpoints between consecutive distinct values of
 * each candidate feature, a fresh random subset of `maxFeatures` features at every split (features
 * that are constant in the node do not count towards it), and sample weights (a bootstrap's counts).
 *
 * Speed follows scikit-learn's splitter too: a node's values of a feature are copied into one
 * contiguous buffer and sorted together with the row indices (`_cart-sort.ts`), features found
 * constant in a node are never searched again below it, and the tree is held in flat typed arrays.
 */
import type { Dense } from './_dense.ts';
import { sortWithIndex } from './_cart-sort.ts';
import { FEATURE_EPS, scanGini, scanSquared } from './_cart-scan.ts';
import { TreeBuffer, type CartTree } from './_cart-tree.ts';

export { leafOf, predictTree, type CartTree } from './_cart-tree.ts';

/** Training rows, column-major so a feature's values are contiguous. */
export interface CartData {
  rows: number;
  cols: number;
  /** Feature j of row i is `columns[j * rows + i]`; may live in a SharedArrayBuffer. */
  columns: Float64Array;
  /** Class index (classification) or value (regression) per row. */
  y: Float64Array;
  /** Number of classes; 0 for regression. */
  classes: number;
  /** `presort(data)`, computed once and shared by the trees of a forest; growTree sorts when absent. */
  order?: Int32Array;
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

const IMPURITY_EPS = 1e-7;

/**
 * Column-major rows for `growTree`, in a SharedArrayBuffer when `shared` (worker threads then read
 * the same memory instead of a copy each).
 * @example
 * const data = cartData(denseFromRows([[1, 2], [3, 4]]), Float64Array.of(0, 1), 2);
 */
export function cartData(x: Dense, y: Float64Array, classes: number, shared = false): CartData {
  const { rows, cols, data } = x;
  const alloc = (len: number) => (shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len));
  const columns = alloc(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) columns[j * rows + i] = data[i * cols + j];
  const ys = alloc(rows);
  ys.set(y);
  return { rows, cols, columns, y: ys, classes };
}

/**
 * Each feature's rows in ascending order of value (n×d, column j at [j·n, (j+1)·n)): sorted once per
 * forest, then every tree and node only filters and partitions it.
 * @example
 * const data = cartData(x, y, 3); data.order = presort(data);
 */
export function presort(data: CartData, shared = false): Int32Array {
  const { rows: n, cols: d, columns } = data;
  const order = shared ? new Int32Array(new SharedArrayBuffer(n * d * 4)) : new Int32Array(n * d);
  const values = new Float64Array(n);
  const ix = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    values.set(columns.subarray(j * n, (j + 1) * n));
    for (let i = 0; i < n; i++) ix[i] = i;
    sortWithIndex(values, ix, 0, n);
    order.set(ix, j * n);
  }
  return order;
}

/**
 * Grows one tree on the rows `samples` (distinct indices) with weights `weights` (indexed by row;
 * a bootstrap passes its draw counts, a plain tree passes ones).
 *
 * Rather than sorting each candidate feature at every node (scikit-learn's way), the builder keeps,
 * for every feature, the node's rows in that feature's order: a node owns the range [start, end) of
 * all of them, and a split partitions each one stably (left rows keep their order, right rows too).
 * A node then costs O(features × rows) instead of O(drawn features × rows × log rows), and a feature
 * constant in the node is spotted from its first and last row. The splits are the same.
 * @example
 * const tree = growTree(data, Int32Array.from(data.y, (_, i) => i), new Float64Array(data.rows).fill(1),
 *   { maxFeatures: 4, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, rand: prng(0) });
 */
export function growTree(data: CartData, samples: Int32Array, weights: Float64Array, o: CartOptions): CartTree {
  const { rows: n, cols: d, columns: X, y, classes: k } = data;
  const order = data.order ?? presort(data);
  const m = samples.length;
  const outputs = Math.max(1, k);
  const maxFeatures = Math.max(1, Math.min(d, Math.floor(o.maxFeatures)));
  const minLeaf = Math.max(1, o.minSamplesLeaf);
  const yc = k ? Int32Array.from(y) : new Int32Array(0);
  // goLeft doubles as the membership mask while the sorted lists are filtered down to `samples`.
  const goLeft = new Uint8Array(n);
  for (let p = 0; p < m; p++) goLeft[samples[p]] = 1;
  const sorted: Int32Array[] = [];
  for (let j = 0; j < d; j++) {
    const list = new Int32Array(m);
    for (let p = 0, q = 0, base = j * n; p < n; p++) {
      const i = order[base + p];
      if (goLeft[i]) list[q++] = i;
    }
    sorted.push(list);
  }
  const rowsOf = Int32Array.from(samples); // the node's rows in no particular order, for its statistics
  const spill = new Int32Array(m);
  const xf = new Float64Array(m);
  const features = Int32Array.from({ length: d }, (_, j) => j);
  const total = new Float64Array(outputs);
  const leftStats = new Float64Array(outputs);
  const best = { proxy: -Infinity, feature: -1, threshold: 0, pos: 0 };
  const tree = new TreeBuffer(outputs, Math.min(2 * m, 1024));
  // Depth-first, right child pushed first so the left subtree is numbered first (pre-order, like
  // scikit-learn). Entries: start, end, depth, parent*2 + isLeft (or -1), known constant features.
  const stack: number[] = [0, m, 0, -1, 0];
  while (stack.length) {
    const nKnown = stack.pop()!;
    const parent = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const id = tree.add();
    if (parent >= 0) (parent & 1 ? tree.left : tree.right)[parent >> 1] = id;

    // Node statistics: class weights, or Σw and Σwy.
    let w = 0;
    let wy = 0;
    total.fill(0);
    for (let p = start; p < end; p++) {
      const i = rowsOf[p];
      const wi = weights[i];
      w += wi;
      if (k) total[yc[i]] += wi;
      else wy += wi * y[i];
    }
    let impurity: number;
    if (k) {
      let sq = 0;
      for (let c = 0; c < k; c++) {
        const share = total[c] / w;
        tree.value[id * k + c] = share;
        sq += share * share;
      }
      impurity = 1 - sq;
    } else {
      const mean = wy / w;
      tree.value[id] = mean;
      // Two passes: Σwy²/W − mean² cancels when the target sits far from zero, and a pure node
      // would then look impure and be split for nothing.
      let ss = 0;
      for (let p = start; p < end; p++) {
        const i = rowsOf[p];
        const dy = y[i] - mean;
        ss += weights[i] * dy * dy;
      }
      impurity = ss / w;
    }
    const count = end - start;
    if (count < o.minSamplesSplit || count < 2 * minLeaf || depth >= o.maxDepth || impurity <= IMPURITY_EPS) continue;

    // Draw features without replacement from those not known to be constant, until `maxFeatures`
    // non-constant ones were searched. features[0, nKnown) are the constants inherited from
    // ancestors, [nKnown, nKnown + found) those found here, [next, d) the ones searched here.
    best.proxy = -Infinity;
    best.feature = -1;
    let found = 0;
    let next = d;
    let searched = 0;
    while (next > nKnown + found && searched < maxFeatures) {
      const lo = nKnown + found;
      const j = lo + Math.floor(o.rand() * (next - lo));
      const f = features[j];
      const base = f * n;
      const s = sorted[f];
      if (X[base + s[end - 1]] <= X[base + s[start]] + FEATURE_EPS) {
        features[j] = features[lo];
        features[lo] = f;
        found++;
        continue;
      }
      next--;
      features[j] = features[next];
      features[next] = f;
      searched++;
      for (let p = start; p < end; p++) xf[p] = X[base + s[p]];
      if (k) scanGini(xf, s, start, end, yc, weights, total, leftStats, k, w, minLeaf, f, best);
      else scanSquared(xf, s, start, end, y, weights, wy, w, minLeaf, f, best);
    }
    if (best.feature < 0) continue;

    tree.feature[id] = best.feature;
    tree.threshold[id] = best.threshold;
    const mid = start + best.pos;
    const winner = sorted[best.feature];
    for (let p = start; p < mid; p++) goLeft[winner[p]] = 1;
    for (let p = mid; p < end; p++) goLeft[winner[p]] = 0;
    partitionStable(rowsOf, start, end, goLeft, spill);
    // Constants stay constant below: their lists are never read again, so they are not partitioned.
    const known = nKnown + found;
    for (let j = known; j < d; j++) partitionStable(sorted[features[j]], start, end, goLeft, spill);
    stack.push(mid, end, depth + 1, id * 2, known);
    stack.push(start, mid, depth + 1, id * 2 + 1, known);
  }
  return tree.finish();
}

/** Moves the rows marked in `goLeft` to the front of [start, end), keeping the order on both sides. */
function partitionStable(list: Int32Array, start: number, end: number, goLeft: Uint8Array, spill: Int32Array): void {
  let l = start;
  let r = 0;
  for (let p = start; p < end; p++) {
    const i = list[p];
    if (goLeft[i]) list[l++] = i;
    else spill[r++] = i;
  }
  for (let q = 0; q < r; q++) list[l + q] = spill[q];
}
