/**
 * The out-of-bag score of a forest as its trees come in, as scikit-learn's `oob_score_`: each row
 * is predicted by the trees whose bootstrap left it out (class shares summed, or values averaged),
 * then scored by accuracy (classification) or R² (regression). One difference: rows that no tree
 * has left out yet are not scored (scikit-learn scores them as a prediction of zeros, with a
 * warning); with a few dozen trees there are none.
 */
import type { CartTree } from './_cart.ts';
import type { Dense } from './_dense.ts';
import { bootstrapCounts } from './_forest-tree.ts';

/** Accumulates trees in the order given and scores the forest so far. */
export interface OobScore {
  /** Adds tree `t` (callers add trees in index order, so the sums are the same bytes on any thread count). */
  add(t: number, tree: CartTree): void;
  /** Accuracy or R² over the rows with at least one out-of-bag vote; undefined while there are none. */
  score(): number | undefined;
}

/**
 * @example
 * const oob = createOobScore(x, y, 3, seed);
 * trees.forEach((tree, t) => oob.add(t, tree));
 * oob.score(); // 0.93
 */
export function createOobScore(x: Dense, y: Float64Array, classes: number, seed: number): OobScore {
  const { rows: n, cols, data } = x;
  const k = Math.max(1, classes);
  const sums = new Float64Array(n * k);
  const votes = new Int32Array(n);
  return {
    add(t, tree) {
      const counts = bootstrapCounts(seed, t, n);
      const { feature, threshold, left, right, value } = tree;
      for (let i = 0; i < n; i++) {
        if (counts[i] !== 0) continue;
        const base = i * cols;
        let node = 0;
        let f = feature[0];
        while (f >= 0) {
          node = data[base + f] <= threshold[node] ? left[node] : right[node];
          f = feature[node];
        }
        const v = node * k;
        const r = i * k;
        for (let c = 0; c < k; c++) sums[r + c] += value[v + c];
        votes[i]++;
      }
    },
    score: () => (classes ? accuracy(sums, votes, y, k) : r2(sums, votes, y)),
  };
}

// The first class with the largest summed share, as numpy's argmax picks it.
function accuracy(sums: Float64Array, votes: Int32Array, y: Float64Array, k: number): number | undefined {
  let scored = 0;
  let right = 0;
  for (let i = 0; i < votes.length; i++) {
    if (votes[i] === 0) continue;
    scored++;
    let best = 0;
    for (let c = 1; c < k; c++) if (sums[i * k + c] > sums[i * k + best]) best = c;
    if (best === y[i]) right++;
  }
  return scored ? right / scored : undefined;
}

// scikit-learn's r2_score, including its finite answer for a constant target (1 if predicted exactly, else 0).
function r2(sums: Float64Array, votes: Int32Array, y: Float64Array): number | undefined {
  let scored = 0;
  let mean = 0;
  for (let i = 0; i < votes.length; i++) if (votes[i] > 0) { scored++; mean += y[i]; }
  if (!scored) return undefined;
  mean /= scored;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < votes.length; i++) {
    if (votes[i] === 0) continue;
    const e = y[i] - sums[i] / votes[i];
    const d = y[i] - mean;
    ssRes += e * e;
    ssTot += d * d;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Trees per progress report: about ten reports per forest, the same for any thread count.
 * @example
 * reportEvery(100); // 10
 */
export function reportEvery(nEstimators: number): number {
  return Math.max(1, Math.ceil(nEstimators / 10));
}

/**
 * Takes trees in any order (worker threads finish out of order) and reports in index order: after
 * every `reportEvery(count)` trees and after the last, with the out-of-bag score of trees 0..n-1
 * when `oob` is given. So the reported steps and values do not depend on which thread grew what.
 * @example
 * const onTree = progressInOrder(100, oob, (trees, score) => ctx.report(trees, { val_score: score! }));
 * onTree(1, tree1); onTree(0, tree0); // trees 0 and 1 are added to the score in that order
 */
export function progressInOrder(
  count: number, oob: OobScore | undefined, report: (trees: number, score: number | undefined) => void,
): (t: number, tree: CartTree) => void {
  const every = reportEvery(count);
  const pending = new Map<number, CartTree>();
  let next = 0;
  return (t, tree) => {
    pending.set(t, tree);
    while (pending.has(next)) {
      const ready = pending.get(next)!;
      pending.delete(next);
      oob?.add(next, ready);
      next++;
      if (next % every === 0 || next === count) report(next, oob?.score());
    }
  };
}
