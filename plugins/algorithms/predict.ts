import { createRequire } from 'node:module';
import { defineTask, Table, Type } from '../../core/index.ts';
import { Model } from '../kinds.ts';
import { mlpKernel } from './_mlp-simd.ts';
import { predictTable } from './predict-table.ts';

/**
 * Predicts a table with any trained model (tfjs or ml.js): `predicted`, `prob_<class>` for
 * classifiers, and `actual` when the table has the target column.
 * @example
 * const { predictions } = b.add('predict', predict, { model: fit.model, table: split.test }, {});
 */
export const predict = defineTask({
  name: 'algorithms/predict',
  version: 1,
  // Prediction can be the costly half (k-NN searches every training row): in the worker pool, the
  // folds of a cross-validation predict side by side instead of one after another on the main thread.
  isolation: 'worker',
  params: Type.Object({}),
  inputs: { model: Model, table: Table },
  outputs: { predictions: Table },
  // A TensorFlow.js model predicts a little differently on each backend, and an MLP on each kernel.
  environment: () => ({ tfjsBackend: tfjsBackend(), mlpKernel: mlpKernel() }),
  async run({ model, table }, _params, ctx) {
    return { predictions: await predictTable(model, table, { signal: ctx.signal }) };
  },
});

let backend: string | undefined;

/**
 * The backend `_backend.ts` will pick, told without loading TensorFlow.js (a second or more): the
 * same order of preference, by whether each package resolves. Once per process, like the pick itself.
 */
function tfjsBackend(): string {
  if (backend) return backend;
  const resolver = createRequire(import.meta.url);
  const resolves = (name: string) => {
    try {
      resolver.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  const wasm = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object' && resolves('@tensorflow/tfjs-backend-wasm');
  backend = resolves('@tensorflow/tfjs-node') ? 'tensorflow' : wasm ? 'wasm' : 'cpu';
  return backend;
}
