/**
 * The contenders of test/bench/mlp.bench.ts, each training the same classifier on the same rows for
 * a fixed number of epochs (Adam, lr 1e-3, batch 200, ReLU hidden layers, softmax output) and
 * returning milliseconds per epoch and the last training loss (a check that they did the same work).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tf } from '../../plugins/algorithms/_backend.ts';
import type { Dense } from '../../plugins/algorithms/_dense.ts';
import { fitMlp } from '../../plugins/algorithms/_mlp-fit.ts';
import * as net64 from '../../plugins/algorithms/_mlp-net.ts';

export interface Timing {
  msPerEpoch: number;
  loss: number;
}

const here = fileURLToPath(new URL('./', import.meta.url));
export const PEER = join(here, 'sklearn/mlp-peer.py');

/**
 * mlcycle's plain-loop MLP (the real fitMlp, sklearn semantics; tol 0 so every epoch runs).
 * @example
 * await timeLoops(x, y, 3, [100], 50);
 */
export async function timeLoops(x: Dense, y: Float64Array, classes: number, hidden: number[], epochs: number): Promise<Timing> {
  const start = performance.now();
  const fit = await fitMlp(x, y, { task: 'multiclass', classes }, { hidden, maxIter: epochs, tol: 0, nIterNoChange: 1e9, seed: 0 });
  return { msPerEpoch: (performance.now() - start) / fit.epochs, loss: fit.loss };
}

/**
 * The same network in TensorFlow.js `model.fit` (as plugins/algorithms/_tfjs-fit.ts trains) on `backend`.
 * @example
 * await timeTfjs(tf, 'wasm', x, y, 3, [100], 50);
 */
export async function timeTfjs(tf: Tf, backend: string, x: Dense, y: Float64Array, classes: number, hidden: number[], epochs: number): Promise<Timing> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not load`);
  await tf.ready();
  const model = tf.sequential();
  hidden.forEach((units, i) =>
    model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: i }), ...(i === 0 ? { inputShape: [x.cols] } : {}) })),
  );
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }) }));
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const xs = tf.tensor2d(Float32Array.from(x.data), [x.rows, x.cols]);
  const labels = tf.tensor1d(Int32Array.from(y), 'int32');
  const ys = tf.oneHot(labels, classes).toFloat();
  try {
    const start = performance.now();
    const history = await model.fit(xs, ys, { epochs, batchSize: 200, shuffle: true, verbose: 0 });
    const ms = (performance.now() - start) / epochs;
    const losses = history.history.loss as number[];
    return { msPerEpoch: ms, loss: losses[losses.length - 1] };
  } finally {
    tf.dispose([xs, labels, ys]);
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * scikit-learn's MLPClassifier(max_iter=epochs, tol=0) on the CSV the bench wrote (timed inside Python).
 * `threads` caps BLAS threads: 1 is what each worker of cross_val_score(n_jobs=2) gets on 2 cores.
 * @example
 * timeSklearn('/tmp/t.csv', [32, 16], 50, 1);
 */
export function timeSklearn(csv: string, hidden: number[], epochs: number, threads?: number): Timing {
  return runPeer(['time', csv, hidden.join(','), String(epochs)], threads) as Timing;
}

/**
 * Runs the Python peer and parses the JSON it prints.
 * @example
 * runPeer(['parity', csv]);
 */
export function runPeer(args: string[], threads?: number): unknown {
  const limit = threads === undefined ? {} : { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const out = spawnSync('/usr/bin/python3', [PEER, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...limit } });
  if (out.status !== 0) throw new Error(`mlp-peer.py ${args[0]} failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

type Net = typeof net64;

/**
 * The same network code with every buffer as Float32Array: copies of _mlp-net.ts and _mlp-kernels.ts
 * written into `dir` with the array type swapped, loaded as their own modules so that each variant's
 * loops stay monomorphic.
 * @example
 * const net32 = await float32Net(tmpDir);
 */
export async function float32Net(dir: string): Promise<Net> {
  const algorithms = join(here, '../../plugins/algorithms');
  const f32 = (file: string) => readFileSync(join(algorithms, file), 'utf8').replaceAll('Float64Array', 'Float32Array');
  writeFileSync(join(dir, '_mlp-kernels.ts'), f32('_mlp-kernels.ts').replace("from './_mlp-net.ts'", `from '${join(algorithms, '_mlp-net.ts')}'`));
  // The float32 copy keeps plain JS loops: the SIMD kernels work on float64.
  writeFileSync(join(dir, '_mlp-net.ts'), f32('_mlp-net.ts').replace("from './_dense.ts'", `from '${join(algorithms, '_dense.ts')}'`).replace("from './_mlp-simd.ts'", "from './_mlp-kernels.ts'"));
  return (await import(join(dir, '_mlp-net.ts'))) as Net;
}

/**
 * One epoch of forward + backward passes only (no optimiser, no shuffle) over `x` in batches of 200:
 * the kernel cost, to compare float64 and float32 buffers.
 * @example
 * kernelEpochMs(net64, x, y, 3, [100], 5);
 */
export function kernelEpochMs(net: Net, x: Dense, y: Float64Array, classes: number, hidden: number[], epochs: number): number {
  const layers = [x.cols, ...hidden, classes];
  let s = 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const model = { layers, activation: 'relu' as const, output: 'softmax' as const, weights: net.initWeights(layers, 'relu', rand) };
  const ws = net.workspace(layers, 200);
  const yb = new Float64Array(200);
  const start = performance.now();
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < x.rows; b += 200) {
      const n = Math.min(200, x.rows - b);
      ws.acts[0].set(x.data.subarray(b * x.cols, (b + n) * x.cols));
      yb.set(y.subarray(b, b + n));
      net.backprop(model, ws, yb, n, 1e-4);
    }
  }
  return (performance.now() - start) / epochs;
}
