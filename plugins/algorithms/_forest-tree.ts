/**
 * One tree of a forest, as both the main thread and `_forest-worker.mjs` grow it. Each tree draws
 * from its own generator, seeded from (forest seed, tree index), so a forest is the same bytes
 * whichever thread grew which tree. Kept free of core imports: workers load it on start.
 */
import { growTree, type CartData, type CartTree } from './_cart.ts';
import { prng } from './_prng.ts';

/** What every tree of a forest shares besides the data. */
export interface TreeOptions {
  maxFeatures: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
  seed: number;
}

/**
 * Grows tree `t`: on a bootstrap of the rows (draw counts become sample weights, as in
 * scikit-learn) or on all rows with unit weights.
 * @example
 * const tree = growForestTree(data, 3, { maxFeatures: 2, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, bootstrap: true, seed: 0 });
 */
export function growForestTree(data: CartData, t: number, o: TreeOptions): CartTree {
  const n = data.rows;
  const rand = prng(treeSeed(o.seed, t));
  const weights = new Float64Array(n);
  if (o.bootstrap) drawBootstrap(rand, weights);
  else weights.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) if (weights[i] > 0) m++;
  const samples = new Int32Array(m);
  for (let i = 0, p = 0; i < n; i++) if (weights[i] > 0) samples[p++] = i;
  return growTree(data, samples, weights, { ...o, rand });
}

/**
 * Tree `t`'s bootstrap as draw counts per row (0: out of bag), the draws growForestTree makes
 * first from the tree's generator: the out-of-bag score replays them instead of shipping them back
 * from the worker that grew the tree.
 * @example
 * const counts = bootstrapCounts(0, 3, 100); // counts[i] = times row i was drawn
 */
export function bootstrapCounts(seed: number, t: number, n: number): Float64Array {
  const counts = new Float64Array(n);
  drawBootstrap(prng(treeSeed(seed, t)), counts);
  return counts;
}

// n draws with replacement, counted per row: the first thing a bootstrapped tree takes from its generator.
function drawBootstrap(rand: () => number, counts: Float64Array): void {
  const n = counts.length;
  for (let i = 0; i < n; i++) counts[Math.floor(rand() * n)] += 1;
}

/**
 * A 32-bit seed for tree `t` of a forest seeded `seed`: murmur3's finaliser over both, so
 * neighbouring trees (and neighbouring forest seeds) get unrelated generator streams.
 * @example
 * treeSeed(0, 1) !== treeSeed(0, 2); // true
 */
export function treeSeed(seed: number, t: number): number {
  return fmix32((seed >>> 0) ^ fmix32((t + 0x9e3779b9) >>> 0));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
