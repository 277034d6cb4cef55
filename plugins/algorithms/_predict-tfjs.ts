import type { ModelSpec } from '../kinds.ts';
import { initTf } from './_backend.ts';
import { denseFromRows, toRows, type Dense } from './_dense.ts';
import { applyScaling, type Scaling } from './_features.ts';
import type { Prediction } from './define-algorithm.ts';
import { loadModel } from './_tfjs-network.ts';

/**
 * Runs a TensorFlow.js ModelSpec (`model.tfjs`) on raw feature rows: applies the training scaling,
 * predicts, and maps the head back to class probabilities (sigmoid → [1-p, p] by positive class) or
 * unscaled values.
 * @example
 * const { probs } = await predictTfjs(spec, denseFromRows([[5.1, 3.5, 1.4, 0.2]]));
 */
export async function predictTfjs(spec: ModelSpec, x: Dense): Promise<Prediction> {
  const { tf } = await initTf();
  const info = spec.info ?? {};
  const rows = toRows(applyScaling(x, info.featureScaling as Scaling));
  const model = await loadModel(tf, spec.tfjs!);
  try {
    const out = tf.tidy(() => {
      const y = model.predict(tf.tensor2d(rows, [rows.length, spec.features.length])) as import('@tensorflow/tfjs').Tensor2D;
      return y.arraySync();
    });
    if (spec.task === 'regression') {
      const t = info.targetScaling as { mean: number; std: number };
      return { values: Float64Array.from(out, (r) => r[0] * t.std + t.mean) };
    }
    if (spec.task === 'binary') {
      const pos = spec.classes!.indexOf(info.positiveClass as string);
      return { probs: denseFromRows(out.map(([p]) => (pos === 1 ? [1 - p, p] : [p, 1 - p]))) };
    }
    return { probs: denseFromRows(out) };
  } finally {
    model.dispose();
  }
}
