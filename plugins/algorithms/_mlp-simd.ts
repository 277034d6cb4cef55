/**
 * The MLP's three matrix products (affine map, weight gradient, back-propagated delta) on WebAssembly
 * SIMD, with the signatures and results of `_mlp-kernels.ts` (to ~1e-15 relative: only the summation
 * grouping differs). V8 does not vectorise JS; the wasm kernels (plugins/algorithms/wasm/mlp-kernels.as)
 * do two f64 multiply-adds per instruction on 4×4 register blocks. Operands are copied into the wasm
 * memory and results copied back: O(size) against O(n·fanIn·fanOut) work. Where SIMD is unavailable,
 * the same names run the JS kernels.
 */
import * as js from './_mlp-kernels.ts';
import type { Activation, LayerSlot } from './_mlp-net.ts';
import { heapStart, simdLoader, type SimdExports } from './_wasm-simd.ts';
import { MLP_SIMD_WASM } from './_mlp-simd-wasm.ts';

interface Exports extends SimdExports {
  gemm(a: number, sam: number, saq: number, b: number, bias: number, c: number, m: number, q: number, p: number): void;
  colSums(d: number, m: number, p: number, out: number): void;
}

// Compiled once, on first use; null where WebAssembly SIMD is missing.
const load = simdLoader<Exports>(MLP_SIMD_WASM);
/** A view of the whole wasm memory; a grow detaches it, so it is re-made after one. */
let heap = new Float64Array(0);

/**
 * Whether the WebAssembly SIMD kernels run here (otherwise this module's kernels are the JS ones).
 * @example
 * if (!simdAvailable()) console.warn('MLP: no WebAssembly SIMD, using the JS kernels');
 */
export function simdAvailable(): boolean {
  return load() !== null;
}

/**
 * Which MLP kernel runs here, as a cache key states it: the SIMD and JS kernels sum in different
 * orders, so their results differ in the last bits and a model trained by one is not the other's.
 * @example
 * environment: () => ({ mlpKernel: mlpKernel() })
 */
export function mlpKernel(): 'wasm-simd' | 'js' {
  return simdAvailable() ? 'wasm-simd' : 'js';
}

/** Lays out regions of the given lengths (doubles) from the heap base, 16-byte aligned; grows the memory to fit. */
function regions(ex: Exports, ...lengths: number[]): number[] {
  const at: number[] = [];
  let end = heapStart(ex);
  for (const len of lengths) {
    at.push(end);
    end += len + (len & 1);
  }
  const bytes = end * 8;
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
  if (heap.buffer !== ex.memory.buffer) heap = new Float64Array(ex.memory.buffer);
  return at;
}

/**
 * z = a·W + b for n rows (as `_mlp-kernels.ts` `affine`).
 * @example
 * affine(ws.acts[0], 200, ws.slots[0], model.weights, ws.acts[1]);
 */
export function affine(a: Float64Array, n: number, s: LayerSlot, w: Float64Array, z: Float64Array): void {
  const ex = load();
  if (!ex) return js.affine(a, n, s, w, z);
  const { fanIn, fanOut, w: wo, b: bo } = s;
  // W and b are adjacent in the weights vector: one copy brings both.
  const [A, W, Z] = regions(ex, n * fanIn, fanIn * fanOut + fanOut, n * fanOut);
  heap.set(a.subarray(0, n * fanIn), A);
  heap.set(w.subarray(wo, bo + fanOut), W);
  ex.gemm(A * 8, fanIn, 1, W * 8, (W + fanIn * fanOut) * 8, Z * 8, n, fanIn, fanOut);
  z.set(heap.subarray(Z, Z + n * fanOut));
}

/**
 * Fills one layer's gradient (aᵀδ + α·W) / n and mean(δ); returns the layer's ‖W‖² (as `_mlp-kernels.ts` `layerGradient`).
 * @example
 * squares += layerGradient(ws.acts[0], ws.deltas[1], n, ws.slots[0], model.weights, ws.grad, 1e-4);
 */
export function layerGradient(a: Float64Array, d: Float64Array, n: number, s: LayerSlot, w: Float64Array, g: Float64Array, alpha: number): number {
  const ex = load();
  if (!ex) return js.layerGradient(a, d, n, s, w, g, alpha);
  const { fanIn, fanOut, w: wo, b: bo } = s;
  const [A, D, G, B] = regions(ex, n * fanIn, n * fanOut, fanIn * fanOut, fanOut);
  heap.set(a.subarray(0, n * fanIn), A);
  heap.set(d.subarray(0, n * fanOut), D);
  // aᵀ·δ: A(k, i) = a[i·fanIn + k], so the row stride is 1 and the inner stride fanIn.
  ex.gemm(A * 8, 1, fanIn, D * 8, 0, G * 8, fanIn, n, fanOut);
  ex.colSums(D * 8, n, fanOut, B * 8);
  // The L2 term and ‖W‖² in the copy back: one pass over W, in the JS kernel's order.
  let squares = 0;
  const h = heap;
  for (let q = 0, len = fanIn * fanOut; q < len; q++) {
    const wq = w[wo + q];
    squares += wq * wq;
    g[wo + q] = (h[G + q] + alpha * wq) / n;
  }
  for (let j = 0; j < fanOut; j++) g[bo + j] = h[B + j] / n;
  return squares;
}

/**
 * δ of the layer below: (δ·Wᵀ) ⊙ f′, f′ read from the activations (as `_mlp-kernels.ts` `backDelta`).
 * @example
 * backDelta(ws.deltas[2], n, ws.slots[1], model.weights, ws.acts[1], ws.deltas[1], 'relu');
 */
export function backDelta(d: Float64Array, n: number, s: LayerSlot, w: Float64Array, a: Float64Array, out: Float64Array, kind: Activation): void {
  const ex = load();
  if (!ex) return js.backDelta(d, n, s, w, a, out, kind);
  const { fanIn, fanOut, w: wo } = s;
  const [D, T, O] = regions(ex, n * fanOut, fanOut * fanIn, n * fanIn);
  const h = heap;
  h.set(d.subarray(0, n * fanOut), D);
  // Wᵀ, so that the kernel's output (the fanIn units) is the contiguous, vectorised side.
  for (let k = 0; k < fanIn; k++) for (let j = 0, q = wo + k * fanOut; j < fanOut; j++, q++) h[T + j * fanIn + k] = w[q];
  ex.gemm(D * 8, fanOut, 1, T * 8, 0, O * 8, n, fanOut, fanIn);
  const len = n * fanIn;
  // The activation's derivative in the copy back.
  if (kind === 'relu') for (let q = 0; q < len; q++) out[q] = a[q] > 0 ? h[O + q] : 0;
  else if (kind === 'tanh') for (let q = 0; q < len; q++) out[q] = h[O + q] * (1 - a[q] * a[q]);
  else if (kind === 'logistic') for (let q = 0; q < len; q++) out[q] = h[O + q] * (a[q] * (1 - a[q]));
  else out.set(h.subarray(O, O + len));
}
