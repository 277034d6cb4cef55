import { DataError } from '../../core/index.ts';
import { cartData, growTree, predictTree, type CartTree } from './_cart.ts';
import type { Matrix } from './_features.ts';
import { prng } from './_prng.ts';

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

/** A forest in ModelSpec.classical: mlcycle's own format, told apart from ml.js JSON by `format`. */
export interface ForestJson {
  format: 'mlcycle-cart';
  trees: CartTree[];
}

export interface ForestOptions {
  nEstimators: number;
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
  seed: number;
}

/**
 * Grows `nEstimators` trees, each on a seeded bootstrap of the rows (draw counts become sample
 * weights, as in scikit-learn) or on all rows, drawing features at every split.
 * @example
 * const forest = fitForest(x, y, 3, { nEstimators: 100, maxFeatures: 2, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed: 0 });
 */
export function fitForest(x: Matrix, y: number[], classes: number, o: ForestOptions): ForestJson {
  const data = cartData(x, y, classes);
  const n = y.length;
  const rand = prng(o.seed);
  const trees: CartTree[] = [];
  for (let t = 0; t < o.nEstimators; t++) {
    const weights = new Float64Array(n);
    if (o.bootstrap) for (let i = 0; i < n; i++) weights[Math.floor(rand() * n)] += 1;
    else weights.fill(1);
    const samples = Int32Array.from(weights.keys()).filter((i) => weights[i] > 0);
    trees.push(growTree(data, samples, weights, { ...o, rand }));
  }
  return { format: 'mlcycle-cart', trees };
}

/**
 * Averages the trees' leaf values per row: class probabilities (the mean of the leaves' class
 * shares, as scikit-learn's predict_proba) or the regression mean in a one-element array.
 * @example
 * forestPredict(forest, [[5.1, 3.5, 1.4, 0.2]]); // [[1, 0, 0]]
 */
export function forestPredict(forest: ForestJson, x: Matrix): number[][] {
  return x.map((row) => {
    let sum: number[] | undefined;
    for (const tree of forest.trees) {
      const v = predictTree(tree, row);
      if (!sum) sum = v.slice();
      else for (let j = 0; j < v.length; j++) sum[j] += v[j];
    }
    return sum!.map((s) => s / forest.trees.length);
  });
}
