import { availableParallelism } from 'node:os';
import { CancelledError, DataError } from '../../core/index.ts';
import { cartData, presort, type CartTree } from './_cart.ts';
import { dense, type Dense } from './_dense.ts';
import { growParallel } from './_forest-pool.ts';
import { createOobScore, progressInOrder } from './_forest-oob.ts';
import { growForestTree, type TreeOptions } from './_forest-tree.ts';

/** `maxFeatures` as the params give it: a rule, a share in (0, 1), or a whole count. */
export type MaxFeatures = 'auto' | 'sqrt' | 'log2' | 'all' | number;

/**
 * The number of features each split draws, scikit-learn's way: 'sqrt' and 'log2' of the feature
 * count (at least 1), a share in (0, 1) as max(1, ⌊share·d⌋), a whole number as a count (capped at d),
 * 'all' as d; 'auto' is 'sqrt' for classification and 'all' for regression (scikit-learn's defaults).
 * @example
 * featureCount('sqrt', 9, false); // 3
 */
export function featureCount(rule: MaxFeatures, d: number, regression: boolean): number {
  const r = rule === 'auto' ? (regression ? 'all' : 'sqrt') : rule;
  if (r === 'all') return d;
  if (r === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (r === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (r > 0 && r < 1) return Math.max(1, Math.floor(r * d));
  if (Number.isInteger(r) && r >= 1) return Math.min(d, r);
  throw new DataError(`maxFeatures must be 'auto', 'sqrt', 'log2', 'all', a share in (0, 1) or a whole count >= 1, got ${r}`);
}

/**
 * A forest (or a single tree) in ModelSpec.classical: every tree's nodes concatenated into flat typed
 * arrays, which the Model codec stores as raw bytes. Tree t owns nodes [treeStart[t], treeStart[t+1]);
 * `left`/`right` are indices into the whole forest. Told apart from ml.js JSON and from the older
 * per-node `mlcycle-cart` format by `format`.
 */
export interface ForestModel {
  format: 'mlcycle-forest';
  /** Values per node: the class count, or 1 for regression. */
  outputs: number;
  /** nTrees + 1 offsets into the node arrays. */
  treeStart: Int32Array;
  /** Split feature per node; -1 for a leaf. */
  feature: Int32Array;
  /** Rows with `x[feature] <= threshold` go left. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** `outputs` values per node (class shares or the mean); a prediction reads the leaves'. */
  value: Float64Array;
}

export interface ForestOptions extends TreeOptions {
  nEstimators: number;
}

/** How a caller follows and stops a forest's growth. */
export interface FitHooks {
  /** Threads growing trees; default: the machine's cores, capped by the tree count. */
  nJobs?: number;
  signal?: AbortSignal;
  /**
   * Called after every `reportEvery(nEstimators)` trees (in index order) and after the last, with the
   * trees grown so far and their out-of-bag score (accuracy or R², see _forest-oob.ts); the score is
   * undefined without bootstrap or while no row is out of bag. The trees do not depend on it.
   */
  onProgress?: (trees: number, oobScore: number | undefined) => void;
}

/**
 * Grows `nEstimators` trees, each on a seeded bootstrap of the rows (draw counts become sample
 * weights, as in scikit-learn) or on all rows, drawing features at every split. With `nJobs` > 1
 * (default: the machine's cores, capped by the tree count) the trees grow on this thread and nJobs - 1 worker threads that
 * share the columns; the model is the same bytes for any `nJobs`. `y` holds class indices
 * 0..classes-1, or values with `classes` 0 (regression).
 * @example
 * const forest = await fitForest(x, y, 3, { nEstimators: 100, maxFeatures: 2, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed: 0 });
 */
export async function fitForest(
  x: Dense, y: Float64Array, classes: number, o: ForestOptions & FitHooks,
): Promise<ForestModel> {
  checkData(x, y, classes);
  const count = o.nEstimators;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`nEstimators must be a whole number >= 1, got ${count}`);
  const jobs = Math.max(1, Math.min(count, Math.floor(o.nJobs ?? availableParallelism())));
  const tree: TreeOptions = {
    maxFeatures: o.maxFeatures, maxDepth: o.maxDepth, minSamplesSplit: o.minSamplesSplit,
    minSamplesLeaf: o.minSamplesLeaf, bootstrap: o.bootstrap, seed: o.seed,
  };
  const data = cartData(x, y, classes, jobs > 1);
  data.order = presort(data, jobs > 1); // once per forest; every tree filters it to its bootstrap rows
  const onProgress = o.onProgress;
  // Only a caller that listens pays for the out-of-bag predictions.
  const onTree = onProgress && progressInOrder(count, o.bootstrap ? createOobScore(x, y, classes, o.seed) : undefined, onProgress);
  if (jobs > 1) return joinTrees(await growParallel(data, count, tree, jobs, { signal: o.signal, onTree }), Math.max(1, classes));
  const trees: CartTree[] = [];
  for (let t = 0; t < count; t++) {
    // Let an abort (which arrives as an event) land between trees.
    if (o.signal && t > 0) await new Promise((r) => setImmediate(r));
    if (o.signal?.aborted) throw new CancelledError('random forest: cancelled');
    trees.push(growForestTree(data, t, tree));
    onTree?.(t, trees[t]);
  }
  return joinTrees(trees, Math.max(1, classes));
}

function checkData(x: Dense, y: Float64Array, classes: number): void {
  if (x.rows < 1 || x.rows !== y.length) throw new DataError(`forest: ${x.rows} feature rows but ${y.length} targets; both need at least 1 row`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new DataError(`forest: feature ${i % x.cols} of row ${Math.floor(i / x.cols)} is ${x.data[i]}; impute or drop missing values first`);
    }
  }
  for (let i = 0; i < y.length; i++) {
    const ok = classes ? Number.isInteger(y[i]) && y[i] >= 0 && y[i] < classes : Number.isFinite(y[i]);
    if (!ok) throw new DataError(`forest: target of row ${i} is ${y[i]}, expected ${classes ? `a class index 0..${classes - 1}` : 'a finite number'}`);
  }
}

/** Concatenates trees into one ForestModel, shifting child indices by each tree's offset. */
function joinTrees(trees: CartTree[], outputs: number): ForestModel {
  const treeStart = new Int32Array(trees.length + 1);
  for (let t = 0; t < trees.length; t++) treeStart[t + 1] = treeStart[t] + trees[t].feature.length;
  const nodes = treeStart[trees.length];
  const m: ForestModel = {
    format: 'mlcycle-forest', outputs, treeStart,
    feature: new Int32Array(nodes), threshold: new Float64Array(nodes),
    left: new Int32Array(nodes), right: new Int32Array(nodes), value: new Float64Array(nodes * outputs),
  };
  trees.forEach((tree, t) => {
    const at = treeStart[t];
    m.feature.set(tree.feature, at);
    m.threshold.set(tree.threshold, at);
    m.value.set(tree.value, at * outputs);
    for (let i = 0; i < tree.feature.length; i++) {
      m.left[at + i] = tree.left[i] < 0 ? -1 : tree.left[i] + at;
      m.right[at + i] = tree.right[i] < 0 ? -1 : tree.right[i] + at;
    }
  });
  return m;
}

/**
 * Averages the trees' leaf values per row: class probabilities (the mean of the leaves' class
 * shares, as scikit-learn's predict_proba), n×classes, or the regression mean, n×1.
 * @example
 * forestPredict(forest, denseFromRows([[5.1, 3.5, 1.4, 0.2]])); // { rows: 1, cols: 3, data: [1, 0, 0] }
 */
export function forestPredict(model: ForestModel, x: Dense): Dense {
  const { outputs: k, treeStart, feature, threshold, left, right, value } = model;
  const trees = treeStart.length - 1;
  const { rows, cols, data } = x;
  const out = dense(rows, k);
  const o = out.data;
  // Tree by tree, so one tree's nodes stay in cache while every row walks it.
  for (let t = 0; t < trees; t++) {
    const root = treeStart[t];
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let node = root;
      let f = feature[node];
      while (f >= 0) {
        node = data[base + f] <= threshold[node] ? left[node] : right[node];
        f = feature[node];
      }
      const v = node * k;
      const r = i * k;
      for (let c = 0; c < k; c++) o[r + c] += value[v + c];
    }
  }
  for (let i = 0; i < o.length; i++) o[i] /= trees;
  return out;
}

/**
 * Tree `t` of a forest as a standalone CartTree (node indices local to the tree): for inspection and tests.
 * @example
 * forestTree(model, 0).feature[0]; // the root's split feature
 */
export function forestTree(model: ForestModel, t: number): CartTree {
  const [a, b] = [model.treeStart[t], model.treeStart[t + 1]];
  const local = (ix: Int32Array) => ix.subarray(a, b).map((v) => (v < 0 ? -1 : v - a));
  return {
    feature: model.feature.slice(a, b), threshold: model.threshold.slice(a, b),
    left: local(model.left), right: local(model.right),
    value: model.value.slice(a * model.outputs, b * model.outputs), outputs: model.outputs,
  };
}
