import { CancelledError } from '../../core/index.ts';
import type { Dense } from './_dense.ts';
import { replaceTop, sortNeighbours, type Neighbours } from './_neighbors-search.ts';

/**
 * A balanced k-d tree laid out like scikit-learn's: node i has children 2i+1 and 2i+2, every node
 * owns the slice start..end of `order` (training row indices) and the bounding box of those rows.
 */
export interface KdTree {
  nodes: number;
  order: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** nodes × cols: each node's per-feature minimum and maximum. */
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Builds a k-d tree over the training rows: split on the widest feature at the median, down to
 * leaves of about `leafSize` rows (scikit-learn's default is 30).
 * @example
 * const tree = buildKdTree(train, 30);
 */
export function buildKdTree(train: Dense, leafSize = 30): KdTree {
  const { rows, cols, data } = train;
  const levels = 1 + Math.floor(Math.log2(Math.max(1, (rows - 1) / leafSize)));
  const nodes = 2 ** levels - 1;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const start = new Int32Array(nodes);
  const end = new Int32Array(nodes);
  const lower = new Float64Array(nodes * cols).fill(Infinity);
  const upper = new Float64Array(nodes * cols).fill(-Infinity);
  start[0] = 0;
  end[0] = rows;
  for (let node = 0; node < nodes; node++) {
    const s = start[node], e = end[node], bo = node * cols;
    for (let i = s; i < e; i++) {
      const ro = order[i] * cols;
      for (let j = 0; j < cols; j++) {
        const v = data[ro + j];
        if (v < lower[bo + j]) lower[bo + j] = v;
        if (v > upper[bo + j]) upper[bo + j] = v;
      }
    }
    const left = 2 * node + 1;
    if (left >= nodes) continue;
    let widest = 0;
    for (let j = 1; j < cols; j++) if (upper[bo + j] - lower[bo + j] > upper[bo + widest] - lower[bo + widest]) widest = j;
    const mid = s + ((e - s) >> 1);
    select(order, data, cols, widest, s, e - 1, mid);
    start[left] = s;
    end[left] = mid;
    start[left + 1] = mid;
    end[left + 1] = e;
  }
  return { nodes, order, start, end, lower, upper };
}

/** Quickselect: order[s..e] rearranged so order[m] holds the row with the m-th smallest feature j. */
function select(order: Int32Array, data: Float64Array, cols: number, j: number, s: number, e: number, m: number): void {
  while (e > s) {
    const pivot = data[order[(s + e) >> 1] * cols + j];
    let i = s, k = e;
    while (i <= k) {
      while (data[order[i] * cols + j] < pivot) i++;
      while (data[order[k] * cols + j] > pivot) k--;
      if (i <= k) {
        const t = order[i];
        order[i++] = order[k];
        order[k--] = t;
      }
    }
    if (m <= k) e = k;
    else if (m >= i) s = i;
    else return;
  }
}

/**
 * Exact k nearest neighbours through the tree. Same answer as the brute-force search, ties in
 * distance included (lower row index first): a box whose lower bound equals the current k-th
 * distance is still searched, and the box bound never exceeds a member's distance in floating point
 * (each term (q−bound)² ≤ (q−x)² and the sums run in the same feature order).
 * @example
 * const nn = kdTreeNeighbours(tree, train, queries, 5);
 */
export function kdTreeNeighbours(tree: KdTree, train: Dense, queries: Dense, k: number, signal?: AbortSignal): Neighbours {
  const n = queries.rows;
  const d = train.cols;
  const heapD = new Float64Array(n * k).fill(Infinity);
  const heapI = new Int32Array(n * k).fill(2 ** 31 - 1);
  // Depth-first stack of nodes with the lower bound computed when they were pushed.
  const stack = new Int32Array(128);
  const bound = new Float64Array(128);
  const qs = queries.data, tr = train.data;
  const d4 = d - (d % 4);
  for (let q = 0; q < n; q++) {
    if ((q & 255) === 0 && signal?.aborted) throw new CancelledError(`k-nearest neighbours: cancelled after ${q} of ${n} queries`);
    const qo = q * d, ho = q * k;
    let top = 0;
    stack[0] = 0;
    bound[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (bound[top] > heapD[ho]) continue;
      const left = 2 * node + 1;
      if (left < tree.nodes) {
        // Push the farther child first so the nearer one is searched first and tightens the bound.
        const dl = boxDistance(tree, left, qs, qo, d);
        const dr = boxDistance(tree, left + 1, qs, qo, d);
        const near = dl <= dr ? left : left + 1;
        stack[top] = near === left ? left + 1 : left;
        bound[top++] = near === left ? dr : dl;
        stack[top] = near;
        bound[top++] = near === left ? dl : dr;
        continue;
      }
      let worst = heapD[ho];
      for (let i = tree.start[node]; i < tree.end[node]; i++) {
        const t = tree.order[i], to = t * d;
        let s = 0;
        let j = 0;
        // Abandon a row once its partial sum passes the k-th distance (tested every 4 features).
        for (; j < d4; j += 4) {
          let u = qs[qo + j] - tr[to + j];
          s += u * u;
          u = qs[qo + j + 1] - tr[to + j + 1];
          s += u * u;
          u = qs[qo + j + 2] - tr[to + j + 2];
          s += u * u;
          u = qs[qo + j + 3] - tr[to + j + 3];
          s += u * u;
          if (s > worst) break;
        }
        if (s > worst) continue;
        for (; j < d; j++) {
          const u = qs[qo + j] - tr[to + j];
          s += u * u;
        }
        if (s < worst || (s === worst && t < heapI[ho])) worst = replaceTop(heapD, heapI, ho, k, s, t);
      }
    }
  }
  for (let q = 0; q < n; q++) sortNeighbours(heapD, heapI, q * k, k);
  return { k, index: heapI, distance2: heapD };
}

function boxDistance(tree: KdTree, node: number, qs: Float64Array, qo: number, d: number): number {
  const bo = node * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = qs[qo + j];
    const lo = tree.lower[bo + j], hi = tree.upper[bo + j];
    const u = v < lo ? lo - v : v > hi ? v - hi : 0;
    s += u * u;
  }
  return s;
}
