import { DataError } from '../../core/index.ts';
import { dense, type Dense } from './_dense.ts';
import { buildKdTree, kdTreeNeighbours, type KdTree } from './_neighbors-kdtree.ts';
import { applyScaling, fitScaling } from './_features.ts';
import { nearestNeighbours } from './_neighbors-search.ts';

/** Per-column mean and population standard deviation (1 for a constant column). */
export interface KnnScaling {
  mean: Float64Array;
  std: Float64Array;
}

/** A fitted k-NN model: the (scaled) training rows themselves, plus their targets. */
export interface KnnModel {
  format: 'mlcycle-knn';
  k: number;
  /** Number of classes (targets are class indices 0..classes−1), or 0 for regression. */
  classes: number;
  /** Training rows after scaling, row-major. */
  train: Dense;
  y: Float64Array;
  scaling?: KnnScaling;
  /** Present for at most KD_TREE_MAX_FEATURES features, where it beats brute force (as in scikit-learn's 'auto'). */
  tree?: KdTree;
}

/**
 * Above this many features brute force replaces the k-d tree, as in scikit-learn's algorithm='auto':
 * a box then rarely lies beyond the k-th neighbour, so the tree visits most leaves anyway. Measured
 * on make_classification, 80k training × 20k query rows (test/bench/neighbors.bench.ts): the tree is
 * 10× faster at 4 features, 2.8× at 8, 1.2× at 12, and 0.73× (slower) at 20.
 */
export const KD_TREE_MAX_FEATURES = 15;

/**
 * Fits k-nearest neighbours (Euclidean, uniform weights, like scikit-learn's KNeighborsClassifier
 * and KNeighborsRegressor defaults). `classes` = 0 means regression.
 * @example
 * const model = fitKnn(x, y, { k: 5, classes: 3, standardize: true });
 */
export function fitKnn(x: Dense, y: Float64Array, o: { k: number; classes: number; standardize: boolean }): KnnModel {
  if (!(Number.isInteger(o.k) && o.k >= 1)) throw new DataError(`knn: k = ${o.k} must be a whole number ≥ 1; set params.k`);
  if (o.k > x.rows) throw new DataError(`knn: k = ${o.k} exceeds the ${x.rows} training rows; lower params.k`);
  if (y.length !== x.rows) throw new RangeError(`fitKnn: ${x.rows} rows but ${y.length} targets`);
  if (!(Number.isInteger(o.classes) && o.classes >= 0)) throw new RangeError(`fitKnn: classes = ${o.classes} must be an integer ≥ 0`);
  checkFinite(x, 'knn: training feature');
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const ok = o.classes > 0 ? Number.isInteger(v) && v >= 0 && v < o.classes : Number.isFinite(v);
    if (!ok) throw new DataError(`knn: target at row ${i} is ${v}; expected ${o.classes > 0 ? `a class index in 0..${o.classes - 1}` : 'a finite number'}`);
  }
  const scaling = o.standardize ? fitScaling(x) : undefined;
  const train = scaling ? applyScaling(x, scaling) : dense(x.rows, x.cols, x.data.slice());
  const tree = x.cols <= KD_TREE_MAX_FEATURES ? buildKdTree(train) : undefined;
  return { format: 'mlcycle-knn', k: o.k, classes: o.classes, train, y: y.slice(), ...(scaling ? { scaling } : {}), ...(tree ? { tree } : {}) };
}

/**
 * Predicts with a fitted k-NN model: for classification an n×classes matrix of vote shares among
 * the k nearest training rows (scikit-learn's predict_proba with uniform weights), for regression
 * an n×1 matrix of their mean target. Nearest rows are exact; equal distances go to the lower
 * training row index.
 * @example
 * const probs = knnPredict(model, xTest, { signal: ctx.signal }); // probs.data[i * probs.cols + c]
 */
export function knnPredict(model: KnnModel, x: Dense, o: { signal?: AbortSignal } = {}): Dense {
  if (x.cols !== model.train.cols) {
    throw new DataError(`knn: rows to predict have ${x.cols} features, the model was trained on ${model.train.cols}`);
  }
  checkFinite(x, 'knn: feature to predict');
  const queries = model.scaling ? applyScaling(x, model.scaling) : x;
  const { k, index } = model.tree
    ? kdTreeNeighbours(model.tree, model.train, queries, model.k, o.signal)
    : nearestNeighbours(model.train, queries, model.k, o.signal);
  const y = model.y;
  if (model.classes === 0) {
    const out = dense(x.rows, 1);
    for (let i = 0; i < x.rows; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += y[index[i * k + j]];
      out.data[i] = s / k;
    }
    return out;
  }
  const c = model.classes;
  const out = dense(x.rows, c);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < k; j++) out.data[i * c + y[index[i * k + j]]] += 1;
    // Dividing the count (not adding 1/k k times) gives scikit-learn's exact shares, e.g. 3/5 = 0.6.
    for (let m = 0; m < c; m++) out.data[i * c + m] /= k;
  }
  return out;
}

function checkFinite(x: Dense, what: string): void {
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new DataError(`${what} at row ${Math.floor(i / x.cols)}, column ${i % x.cols} is ${x.data[i]}; impute or drop it first`);
    }
  }
}
