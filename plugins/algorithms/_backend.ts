import { createRequire } from 'node:module';
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';

/** The TensorFlow.js namespace, whichever backend runs it. */
export type Tf = typeof tfjs;

/** The loaded TensorFlow.js and the backend it settled on ('tensorflow', 'wasm' or 'cpu'). */
export interface TfRuntime {
  tf: Tf;
  backend: string;
}

let runtime: Promise<TfRuntime> | undefined;

/**
 * Loads TensorFlow.js once per process or worker thread, on the fastest backend that loads:
 * tfjs-node (native libtensorflow; optional because it downloads at install), else wasm (its .wasm
 * binaries ship in the package), else the pure-JS cpu backend.
 * @example
 * const { tf, backend } = await initTf();
 * ctx.log.info(`tfjs backend: ${backend}`);
 */
export function initTf(): Promise<TfRuntime> {
  runtime ??= pickBackend();
  return runtime;
}

async function pickBackend(): Promise<TfRuntime> {
  const tf = tfjs;
  // The cpu backend greets Node users with a banner on first use; it is noise in task logs.
  tf.env().set('PROD', true);
  if (await tryNode(tf)) return { tf, backend: tf.getBackend() };
  if (await tryWasm(tf)) return { tf, backend: 'wasm' };
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}

async function tryNode(tf: Tf): Promise<boolean> {
  // A variable specifier keeps tsc from requiring a package that is optional by design.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    return (await tf.setBackend('tensorflow')) && works(tf);
  } catch {
    return false;
  }
}

async function tryWasm(tf: Tf): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the emscripten loader reads a plain file path; the default prefix is a URL it cannot open.
    const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dist + path.sep);
    return (await tf.setBackend('wasm')) && tf.getBackend() === 'wasm' && works(tf);
  } catch {
    return false;
  }
}

/** A backend that registers but computes garbage is worse than a slow one: check a known product. */
function works(tf: Tf): boolean {
  const got = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
  return got === 11;
}

/**
 * Times `reps` products of two size×size matrices on each named backend (ms), then restores the
 * backend that was active. For benchmarks and the backend check; tasks never call it.
 * @example
 * const { tf } = await initTf();
 * await timeMatmul(tf, ['wasm', 'cpu']); // { wasm: 120.4, cpu: 980.1 }
 */
export async function timeMatmul(tf: Tf, backends: string[], size = 256, reps = 10): Promise<Record<string, number>> {
  const original = tf.getBackend();
  const out: Record<string, number> = {};
  try {
    for (const name of backends) {
      if (!(await tf.setBackend(name))) continue;
      const [a, b] = [tf.randomUniform([size, size], 0, 1, 'float32', 1), tf.randomUniform([size, size], 0, 1, 'float32', 2)];
      tf.tidy(() => tf.matMul(a, b).dataSync()); // warm-up: kernel setup is not what we measure
      const start = performance.now();
      for (let i = 0; i < reps; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
      out[name] = performance.now() - start;
      tf.dispose([a, b]);
    }
  } finally {
    await tf.setBackend(original);
  }
  return out;
}
