/**
 * The MLP kernels in plain JS (_mlp-kernels.ts) against WebAssembly SIMD (_mlp-simd.ts): each kernel
 * at n = 200 on the shapes that matter, and a whole forward + backward pass of hidden [100] nets at
 * 20 and 64 inputs (×45 batches = one epoch of 9,000 rows). Interleaved, best of N; prints ratios.
 *   node cli/run-ts.mjs test/bench/mlp-simd.bench.ts [--rounds 7]
 */
import * as js from '../../plugins/algorithms/_mlp-kernels.ts';
import { layout, type LayerSlot } from '../../plugins/algorithms/_mlp-net.ts';
import * as simd from '../../plugins/algorithms/_mlp-simd.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';

const args = process.argv.slice(2);
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7;
const N = 200;
type Kernels = Pick<typeof js, 'affine' | 'layerGradient' | 'backDelta'>;
const rand = prng(1);
const fill = (len: number) => Float64Array.from({ length: len }, () => 2 * rand() - 1);

/** Best time (ms) of `reps` calls, per call, over rounds; the two sides alternate within each round. */
function race(label: string, reps: number, sides: Record<'js' | 'wasm', () => void>): void {
  const best = { js: Infinity, wasm: Infinity };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 ? (['wasm', 'js'] as const) : (['js', 'wasm'] as const)) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) sides[side]();
      best[side] = Math.min(best[side], (performance.now() - t) / reps);
    }
  }
  console.log(`${label.padEnd(44)} js ${best.js.toFixed(3).padStart(8)} ms  wasm ${best.wasm.toFixed(3).padStart(8)} ms  js/wasm ${(best.js / best.wasm).toFixed(2)}×`);
}

function layer(fanIn: number, fanOut: number) {
  const { slots, size } = layout([fanIn, fanOut]);
  const a = fill(N * fanIn).map((v) => Math.max(0, v)); // ReLU-like: about half zeros
  return { s: slots[0], w: fill(size), a, d: fill(N * fanOut), z: new Float64Array(N * fanOut), g: new Float64Array(size), out: new Float64Array(N * fanIn) };
}

console.log(`n = ${N}, best of ${ROUNDS}, simd available: ${simd.simdAvailable()}`);
for (const [fanIn, fanOut] of [[20, 100], [64, 100], [100, 3], [100, 10]]) {
  const l = layer(fanIn, fanOut);
  const reps = Math.max(20, Math.round(2e7 / (N * fanIn * fanOut)));
  race(`affine        ${fanIn}→${fanOut}`, reps, { js: () => js.affine(l.a, N, l.s, l.w, l.z), wasm: () => simd.affine(l.a, N, l.s, l.w, l.z) });
  race(`layerGradient ${fanIn}→${fanOut}`, reps, { js: () => js.layerGradient(l.a, l.d, N, l.s, l.w, l.g, 1e-4), wasm: () => simd.layerGradient(l.a, l.d, N, l.s, l.w, l.g, 1e-4) });
  race(`backDelta     ${fanIn}→${fanOut} relu`, reps, { js: () => js.backDelta(l.d, N, l.s, l.w, l.a, l.out, 'relu'), wasm: () => simd.backDelta(l.d, N, l.s, l.w, l.a, l.out, 'relu') });
}

/** One forward + backward pass as `_mlp-net.ts` backprop does it, with the given kernels (deltas: softmax − one-hot stand-in). */
function pass(k: Kernels, slots: LayerSlot[], w: Float64Array, acts: Float64Array[], deltas: Float64Array[], grad: Float64Array): void {
  const last = slots.length - 1;
  for (let l = 0; l <= last; l++) {
    k.affine(acts[l], N, slots[l], w, acts[l + 1]);
    js.activate(l === last ? 'softmax' : 'relu', acts[l + 1], N * slots[l].fanOut, slots[l].fanOut);
  }
  const out = acts[last + 1];
  const d = deltas[last + 1];
  for (let q = 0; q < d.length; q++) d[q] = out[q] - (q % slots[last].fanOut === 0 ? 1 : 0);
  for (let l = last; l >= 0; l--) {
    k.layerGradient(acts[l], deltas[l + 1], N, slots[l], w, grad, 1e-4);
    if (l > 0) k.backDelta(deltas[l + 1], N, slots[l], w, acts[l], deltas[l], 'relu');
  }
}

for (const layers of [[20, 100, 3], [64, 100, 10], [20, 100, 10], [64, 100, 3]]) {
  const { slots, size } = layout(layers);
  const w = fill(size).map((v) => v * 0.3);
  const acts = layers.map((u, l) => (l === 0 ? fill(N * u) : new Float64Array(N * u)));
  const deltas = layers.map((u) => new Float64Array(N * u));
  const grad = new Float64Array(size);
  race(`epoch (45 × fwd+bwd) [${layers.join(', ')}]`, 1, {
    js: () => { for (let b = 0; b < 45; b++) pass(js, slots, w, acts, deltas, grad); },
    wasm: () => { for (let b = 0; b < 45; b++) pass(simd, slots, w, acts, deltas, grad); },
  });
}
