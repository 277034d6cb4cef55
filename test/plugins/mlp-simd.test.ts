import { describe, expect, it } from '@jest/globals';
import * as js from '../../plugins/algorithms/_mlp-kernels.ts';
import { layout, type Activation } from '../../plugins/algorithms/_mlp-net.ts';
import * as simd from '../../plugins/algorithms/_mlp-simd.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';

/** [n, fanIn, fanOut]: tails of the 4×4 blocks on every side, one row, narrow output layers, the bench's shapes. */
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 7, 3], [2, 5, 1], [3, 3, 2], [5, 9, 10], [7, 13, 5], [4, 4, 4], [9, 1, 17],
  [13, 100, 3], [31, 20, 100], [200, 64, 100], [200, 100, 10], [57, 6, 7], [6, 11, 8],
];

/** A random layer: weights vector with this layer at an odd offset, activations with ReLU-style exact zeros. */
function setup(n: number, fanIn: number, fanOut: number, seed: number) {
  const rand = prng(seed);
  const u = () => 2 * rand() - 1;
  const { slots, size } = layout([3, fanIn, fanOut]);
  const s = slots[1];
  const w = Float64Array.from({ length: size }, u);
  const a = Float64Array.from({ length: n * fanIn }, () => (rand() < 0.3 ? 0 : u()));
  const d = Float64Array.from({ length: n * fanOut }, u);
  return { s, w, a, d, size, rand };
}

/** |x − y| within 1e-12 of the operands' scale (only the grouping of the sums differs). */
function expectClose(got: Float64Array, want: Float64Array, scale: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThanOrEqual(1e-12 * scale);
  expect(got.every(Number.isFinite)).toBe(true);
}

describe('MLP WebAssembly SIMD kernels', () => {
  it('run on this Node (SIMD validated), so the comparisons below are wasm against JS', () => {
    expect(simd.simdAvailable()).toBe(true);
  });

  it.each(SHAPES)('affine equals the JS kernel: n %i, %i → %i', (n, fanIn, fanOut) => {
    const { s, w, a } = setup(n, fanIn, fanOut, n * 131 + fanIn * 7 + fanOut);
    const want = new Float64Array(n * fanOut + 3).fill(-7);
    const got = new Float64Array(n * fanOut + 3).fill(-7);
    js.affine(a, n, s, w, want);
    simd.affine(a, n, s, w, got);
    expectClose(got, want, fanIn + 1);
    expect(Array.from(got.subarray(n * fanOut))).toEqual([-7, -7, -7]); // nothing written past n rows
  });

  it.each(SHAPES)('layerGradient equals the JS kernel, ‖W‖² included: n %i, %i → %i', (n, fanIn, fanOut) => {
    const { s, w, a, d, size } = setup(n, fanIn, fanOut, n * 17 + fanIn * 3 + fanOut);
    const want = new Float64Array(size).fill(5);
    const got = new Float64Array(size).fill(5);
    const sqWant = js.layerGradient(a, d, n, s, w, want, 0.37);
    const sqGot = simd.layerGradient(a, d, n, s, w, got, 0.37);
    expect(sqGot).toBe(sqWant);
    expectClose(got, want, 1);
    // Only this layer's slice is written: the first layer's stays as it was.
    expect(got.subarray(0, s.w).every((v) => v === 5)).toBe(true);
    expect(got[s.w]).not.toBe(5);
  });

  it.each((['relu', 'tanh', 'logistic', 'identity'] as Activation[]).flatMap((kind) => SHAPES.map(([n, i, o]) => [kind, n, i, o] as const)))(
    'backDelta (%s) equals the JS kernel: n %i, %i → %i',
    (kind, n, fanIn, fanOut) => {
      const { s, w, a, d, rand } = setup(n, fanIn, fanOut, n * 29 + fanIn * 5 + fanOut);
      // Activations as the layer would produce them: ReLU ≥ 0 with zeros, tanh in (−1, 1), logistic in (0, 1).
      const acts = a.map((v) => (kind === 'relu' ? Math.max(0, v) : kind === 'logistic' ? rand() : v));
      const want = new Float64Array(n * fanIn).fill(9);
      const got = new Float64Array(n * fanIn).fill(9);
      js.backDelta(d, n, s, w, acts, want, kind);
      simd.backDelta(d, n, s, w, acts, got, kind);
      expectClose(got, want, fanOut);
      if (kind === 'relu') acts.forEach((v, q) => v === 0 && expect(got[q]).toBe(0));
    },
  );

  it('keeps results right when a larger call grows the wasm memory between smaller ones', () => {
    for (const [n, fanIn, fanOut] of [[3, 4, 5], [512, 300, 200], [3, 4, 5]] as const) {
      const { s, w, a } = setup(n, fanIn, fanOut, n);
      const want = new Float64Array(n * fanOut);
      const got = new Float64Array(n * fanOut);
      js.affine(a, n, s, w, want);
      simd.affine(a, n, s, w, got);
      expectClose(got, want, fanIn + 1);
    }
  });
});
