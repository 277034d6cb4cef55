import { CancelledError } from '../../core/index.ts';
import type { Dense } from './_dense.ts';
import { scanDistanceBlocks } from './_neighbors-simd.ts';

/** The k nearest training rows of each query, nearest first: row-major n×k. */
export interface Neighbours {
  k: number;
  /** Training row indices; ties in distance are ordered by row index. */
  index: Int32Array;
  /** Squared Euclidean distances, summed over features in column order. */
  distance2: Float64Array;
}

/**
 * Queries per block: the abort check runs between blocks, and each block sweeps the training rows
 * in slices of TRAIN_BLOCK so a slice (4096 × 20 features × 8 bytes = 640 KB) is reused from cache
 * by every query in the block instead of streaming all training rows once per query.
 */
const QUERY_BLOCK = 256;
const TRAIN_BLOCK = 4096;

/**
 * Exact k-nearest-neighbour search by brute force. Each distance is summed directly as Σ(a−b)²
 * (not ‖a‖²+‖b‖²−2a·b, whose cancellation can reorder near-equal distances), and a row is abandoned
 * as soon as its partial sum passes the current k-th distance: on make_classification data with 20
 * features a row costs about 6 features. tfjs-wasm's matMul was measured at the same rate as these
 * loops (~1.1 G multiply-adds/s on 512×20 · 20×80000) in float32, before reading back and
 * re-checking its products, so it is not used. At ≤ 15 features the k-d tree is faster (_neighbors-kdtree.ts).
 * Where WebAssembly SIMD runs, the distances come from `_neighbors-simd.ts` instead (the same sums in the
 * same order, two pairs per instruction, abandoning 4×4 blocks of pairs; 2.3–2.9× faster than these loops
 * at 80k×20 and 8k×64); `engine: 'js'` forces the JS loops.
 * @example
 * const nn = nearestNeighbours(train, queries, 5);
 * nn.index[q * 5]; // the training row nearest to query q
 */
export function nearestNeighbours(
  train: Dense, queries: Dense, k: number, signal?: AbortSignal, engine: 'auto' | 'js' = 'auto',
): Neighbours {
  const d = train.cols;
  if (queries.cols !== d) throw new RangeError(`nearestNeighbours: queries have ${queries.cols} columns, training rows ${d}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= train.rows)) {
    throw new RangeError(`nearestNeighbours: k = ${k} must be an integer in 1..${train.rows} (the training rows)`);
  }
  const n = queries.rows;
  const heapD = new Float64Array(n * k).fill(Infinity);
  const heapI = new Int32Array(n * k).fill(-1);
  if (engine === 'auto' && scanDistanceBlocks(train, queries, (q) => heapD[q * k], (dist, stride, q0, q1, t0, t1) => {
    for (let q = q0, r = 0; q < q1; q++, r += stride) {
      const h = q * k;
      let worst = heapD[h];
      // Rows arrive in index order, so an equal distance never displaces an earlier row.
      for (let t = t0, o = r; t < t1; t++, o++) {
        const s = dist[o];
        if (s < worst) worst = replaceTop(heapD, heapI, h, k, s, t);
      }
    }
  }, signal)) {
    for (let q = 0; q < n; q++) sortNeighbours(heapD, heapI, q * k, k);
    return { k, index: heapI, distance2: heapD };
  }
  for (let q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
    if (signal?.aborted) throw new CancelledError(`k-nearest neighbours: cancelled after ${q0} of ${n} queries`);
    const q1 = Math.min(n, q0 + QUERY_BLOCK);
    for (let t0 = 0; t0 < train.rows; t0 += TRAIN_BLOCK) {
      scanBlock(train.data, queries.data, d, k, q0, q1, t0, Math.min(train.rows, t0 + TRAIN_BLOCK), heapD, heapI);
    }
  }
  for (let q = 0; q < n; q++) sortNeighbours(heapD, heapI, q * k, k);
  return { k, index: heapI, distance2: heapD };
}

/**
 * Distances from queries q0..q1 to training rows t0..t1, kept in each query's bounded max-heap.
 * Four queries share each training row's loads; a row is abandoned once all four partial sums
 * exceed their k-th distance (measured ~1.8× faster than one query at a time on make_classification).
 */
function scanBlock(
  tr: Float64Array, qs: Float64Array, d: number, k: number,
  q0: number, q1: number, t0: number, t1: number, heapD: Float64Array, heapI: Int32Array,
): void {
  let q = q0;
  for (; q + 4 <= q1; q += 4) scanFour(tr, qs, d, k, q, t0, t1, heapD, heapI);
  for (; q < q1; q++) scanOne(tr, qs, d, k, q, t0, t1, heapD, heapI);
}

function scanFour(
  tr: Float64Array, qs: Float64Array, d: number, k: number,
  q: number, t0: number, t1: number, heapD: Float64Array, heapI: Int32Array,
): void {
  const d4 = d - (d % 4);
  const o0 = q * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
  const h0 = q * k, h1 = h0 + k, h2 = h1 + k, h3 = h2 + k;
  let w0 = heapD[h0], w1 = heapD[h1], w2 = heapD[h2], w3 = heapD[h3];
  for (let t = t0; t < t1; t++) {
    const to = t * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    for (; j < d4; j += 2) {
      let v = tr[to + j];
      let u = qs[o0 + j] - v;
      s0 += u * u;
      u = qs[o1 + j] - v;
      s1 += u * u;
      u = qs[o2 + j] - v;
      s2 += u * u;
      u = qs[o3 + j] - v;
      s3 += u * u;
      v = tr[to + j + 1];
      u = qs[o0 + j + 1] - v;
      s0 += u * u;
      u = qs[o1 + j + 1] - v;
      s1 += u * u;
      u = qs[o2 + j + 1] - v;
      s2 += u * u;
      u = qs[o3 + j + 1] - v;
      s3 += u * u;
      // Test every 4 features, not 2: a test costs about as much as a feature when it mispredicts.
      if ((j & 3) === 2 && s0 > w0 && s1 > w1 && s2 > w2 && s3 > w3) break;
    }
    if (j < d4) continue;
    for (; j < d; j++) {
      const v = tr[to + j];
      let u = qs[o0 + j] - v;
      s0 += u * u;
      u = qs[o1 + j] - v;
      s1 += u * u;
      u = qs[o2 + j] - v;
      s2 += u * u;
      u = qs[o3 + j] - v;
      s3 += u * u;
    }
    // Rows arrive in index order, so an equal distance never displaces an earlier row.
    if (s0 < w0) w0 = replaceTop(heapD, heapI, h0, k, s0, t);
    if (s1 < w1) w1 = replaceTop(heapD, heapI, h1, k, s1, t);
    if (s2 < w2) w2 = replaceTop(heapD, heapI, h2, k, s2, t);
    if (s3 < w3) w3 = replaceTop(heapD, heapI, h3, k, s3, t);
  }
}

function scanOne(
  tr: Float64Array, qs: Float64Array, d: number, k: number,
  q: number, t0: number, t1: number, heapD: Float64Array, heapI: Int32Array,
): void {
  const d4 = d - (d % 4);
  const qo = q * d;
  const ho = q * k;
  let worst = heapD[ho];
  for (let t = t0; t < t1; t++) {
    const to = t * d;
    let s = 0;
    let j = 0;
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
    if (s < worst) worst = replaceTop(heapD, heapI, ho, k, s, t);
  }
}

/**
 * Max-heap on (distance, index): the root is the k-th nearest so far. Returns the new root distance.
 * @example
 * if (s < heapD[o]) replaceTop(heapD, heapI, o, k, s, row);
 */
export function replaceTop(heapD: Float64Array, heapI: Int32Array, o: number, k: number, s: number, t: number): number {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) break;
    const r = l + 1;
    const c = r < k && after(heapD[o + r], heapI[o + r], heapD[o + l], heapI[o + l]) ? r : l;
    if (!after(heapD[o + c], heapI[o + c], s, t)) break;
    heapD[o + i] = heapD[o + c];
    heapI[o + i] = heapI[o + c];
    i = c;
  }
  heapD[o + i] = s;
  heapI[o + i] = t;
  return heapD[o];
}

function after(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}

/**
 * Insertion sort of one query's k entries by (distance, index): k is small.
 * @example
 * for (let q = 0; q < n; q++) sortNeighbours(heapD, heapI, q * k, k);
 */
export function sortNeighbours(heapD: Float64Array, heapI: Int32Array, o: number, k: number): void {
  for (let i = 1; i < k; i++) {
    const dv = heapD[o + i];
    const iv = heapI[o + i];
    let j = i - 1;
    while (j >= 0 && after(heapD[o + j], heapI[o + j], dv, iv)) {
      heapD[o + j + 1] = heapD[o + j];
      heapI[o + j + 1] = heapI[o + j];
      j--;
    }
    heapD[o + j + 1] = dv;
    heapI[o + j + 1] = iv;
  }
}
