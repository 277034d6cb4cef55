/**
 * The brute-force k-NN search's squared distances on WebAssembly SIMD (plugins/algorithms/wasm/neighbors-kernels.as):
 * each Σ(a−b)² is summed in the same order as the JS loop in `_neighbors-search.ts`, so the distances
 * (and so the neighbours and their ties) are bit-identical. The kernel fills a queries × rows block of
 * distances (a 4×4 sub-block whose partial sums all pass their queries' bounds stops early and reports
 * those partial sums, which the caller rejects as it would the full ones), and the caller keeps its
 * k-heap selection over that block.
 * The training rows are copied into the wasm memory once per search (transposed per block, so one
 * vector load brings two rows' feature); each query block is copied in before its sweep.
 */
import { CancelledError } from '../../core/index.ts';
import type { Dense } from './_dense.ts';
import { heapStart, simdLoader, type SimdExports } from './_wasm-simd.ts';
import { NEIGHBORS_SIMD_WASM } from './_neighbors-simd-wasm.ts';

interface Exports extends SimdExports {
  distances(q: number, nq: number, t: number, w: number, d: number, out: number, worst: number): void;
}

// Compiled once, on first use; null where WebAssembly SIMD is missing.
const load = simdLoader<Exports>(NEIGHBORS_SIMD_WASM);
/**
 * Whether the WebAssembly SIMD distance kernel runs here.
 * @example
 * if (!neighboursSimdAvailable()) console.warn('k-NN: no WebAssembly SIMD, using the JS loops');
 */
export function neighboursSimdAvailable(): boolean {
  return load() !== null;
}

/** Queries per kernel call: with QUERY_BLOCK × rows-per-block distances the block stays in L2 for the selection pass. */
const QUERY_BLOCK = 32;
/** Training rows per block: about 160 kB of features (1024 rows at 20 features), a multiple of 4 as the kernel needs. */
function trainBlock(d: number): number {
  return Math.max(64, Math.floor(20480 / d / 4) * 4);
}

/**
 * Receives the distances of queries q0..q1 to training rows t0..t1: the distance of (q, t) is
 * `dist[(q − q0) · stride + (t − t0)]`. The array is a view of the wasm memory, valid only during the call.
 */
export type DistanceBlock = (dist: Float64Array, stride: number, q0: number, q1: number, t0: number, t1: number) => void;

/**
 * The current bound of query q: its k-th distance so far (Infinity while fewer than k rows are kept).
 * A pair whose distance exceeds it may be reported with a partial sum that still exceeds it.
 */
export type QueryBound = (q: number) => number;

/**
 * Sweeps all (query, training row) squared distances block by block, queries outer, rows in index
 * order within each query block; returns false (calling nothing) where WebAssembly SIMD is unavailable
 * or the wasm memory cannot grow to hold the training rows. The memory, once grown, stays with the thread.
 * Distances greater than the query's bound at the start of the block may be partial sums (still greater).
 * The abort signal is checked between query blocks.
 * @example
 * scanDistanceBlocks(train, queries, (q) => heapD[q * k], (dist, stride, q0, q1, t0, t1) => { ... }, signal);
 */
export function scanDistanceBlocks(
  train: Dense, queries: Dense, bound: QueryBound, onBlock: DistanceBlock, signal?: AbortSignal,
): boolean {
  const ex = load();
  if (!ex) return false;
  const d = train.cols;
  const rows = train.rows;
  const n = queries.rows;
  const tb = trainBlock(d);
  const lastT0 = Math.floor((rows - 1) / tb) * tb;
  const lastW = roundUp4(rows - lastT0);
  // Layout (doubles): transposed training blocks, one query block, its bounds, one distance block.
  const T = heapStart(ex);
  const Q = T + lastT0 * d + lastW * d;
  const B = Q + roundUp2(QUERY_BLOCK * d);
  const O = B + QUERY_BLOCK;
  const bytes = (O + QUERY_BLOCK * tb) * 8;
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) {
    // Past wasm32's 4 GiB (or the host's limit) grow throws: the caller's JS loops need no copy.
    try {
      ex.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return false;
    }
  }
  const heap = new Float64Array(ex.memory.buffer);
  const tr = train.data;
  for (let t0 = 0; t0 < rows; t0 += tb) {
    const t1 = Math.min(rows, t0 + tb);
    const w = roundUp4(t1 - t0);
    const at = T + t0 * d;
    for (let t = t0; t < t1; t++) for (let j = 0, o = at + (t - t0), s = t * d; j < d; j++, o += w) heap[o] = tr[s + j];
    // The padding rows' distances are computed but never read; zero them so they are finite.
    for (let t = t1; t < t0 + w; t++) for (let j = 0, o = at + (t - t0); j < d; j++, o += w) heap[o] = 0;
  }
  for (let q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
    if (signal?.aborted) throw new CancelledError(`k-nearest neighbours: cancelled after ${q0} of ${n} queries`);
    const q1 = Math.min(n, q0 + QUERY_BLOCK);
    heap.set(queries.data.subarray(q0 * d, q1 * d), Q);
    for (let t0 = 0; t0 < rows; t0 += tb) {
      const t1 = Math.min(rows, t0 + tb);
      const w = roundUp4(t1 - t0);
      for (let q = q0; q < q1; q++) heap[B + q - q0] = bound(q);
      ex.distances(Q * 8, q1 - q0, (T + t0 * d) * 8, w, d, O * 8, B * 8);
      onBlock(heap.subarray(O, O + (q1 - q0) * w), w, q0, q1, t0, t1);
    }
  }
  return true;
}

function roundUp4(x: number): number {
  return (x + 3) & ~3;
}

function roundUp2(x: number): number {
  return x + (x & 1);
}
