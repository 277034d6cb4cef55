import type { ModelSpec } from '../kinds.ts';
import { initTf } from './_backend.ts';
import { applyScaling, type Matrix, type Scaling } from './_features.ts';
import type { Prediction } from './_predict-classical.ts';
import { loadModel } from './_tfjs-network.ts';

/**
 * Runs a tfjs ModelSpec on raw feature rows: applies the training scaling, predicts, and maps the
 * head back to class probabilities (sigmoid → [1-p, p] by positive class) or unscaled values.
 * @example
 * const { probs } = await predictTfjs(spec, [[5.1, 3.5, 1.4, 0.2]]);
 */
export async function predictTfjs(spec: ModelSpec, x: Matrix): Promise<Prediction> {
  const { tf } = await initTf();
  const info = spec.info ?? {};
  const rows = applyScaling(x, info.featureScaling as Scaling);
  const model = await loadModel(tf, spec.tfjs!);
  try {
    const out = tf.tidy(() => {
      const y = model.predict(tf.tensor2d(rows, [rows.length, spec.features.length])) as import('@tensorflow/tfjs').Tensor2D;
      return y.arraySync();
    });
    if (spec.task === 'regression') {
      const t = info.targetScaling as { mean: number; std: number };
      return { values: out.map((r) => r[0] * t.std + t.mean) };
    }
    if (spec.task === 'binary') {
      const pos = spec.classes!.indexOf(info.positiveClass as string);
      return { probs: out.map(([p]) => (pos === 1 ? [1 - p, p] : [p, 1 - p])) };
    }
    return { probs: out };
  } finally {
    model.dispose();
  }
}
