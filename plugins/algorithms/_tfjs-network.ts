import type { LayersModel, Sequential } from '@tensorflow/tfjs';
import type { ModelSpec } from '../kinds.ts';
import type { Tf } from './_backend.ts';

/** The output layer and loss a problem needs. */
export interface Head {
  units: number;
  activation: 'linear' | 'sigmoid' | 'softmax';
  loss: 'meanSquaredError' | 'binaryCrossentropy' | 'categoricalCrossentropy';
}

/**
 * The head for a problem: one linear unit for regression, one sigmoid unit (P(positive)) for binary,
 * one softmax unit per class for multiclass.
 * @example
 * headFor('multiclass', 3); // { units: 3, activation: 'softmax', loss: 'categoricalCrossentropy' }
 */
export function headFor(task: ModelSpec['task'], classes: number): Head {
  if (task === 'regression') return { units: 1, activation: 'linear', loss: 'meanSquaredError' };
  if (task === 'binary') return { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' };
  return { units: classes, activation: 'softmax', loss: 'categoricalCrossentropy' };
}

/** The shape of a dense network; no hidden layers gives a linear or logistic model. */
export interface NetworkOptions {
  inputs: number;
  hidden: number[];
  activation: string;
  dropout: number;
  l2: number;
  head: Head;
  seed: number;
}

/**
 * Builds a seeded dense network. Layers get fixed names because tfjs otherwise numbers them by a
 * per-process counter, which would make two identical trainings serialise to different bytes (and
 * break the cache's early cut-off).
 * @example
 * const model = buildNetwork(tf, { inputs: 4, hidden: [8], activation: 'relu', dropout: 0, l2: 0, head, seed: 1 });
 */
export function buildNetwork(tf: Tf, o: NetworkOptions): Sequential {
  const model = tf.sequential({ name: 'mlcycle' });
  const regularizer = () => (o.l2 > 0 ? tf.regularizers.l2({ l2: o.l2 }) : undefined);
  const dense = (units: number, activation: string, i: number, name: string) =>
    tf.layers.dense({
      name,
      units,
      activation: activation as any,
      kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + i }),
      kernelRegularizer: regularizer(),
      ...(i === 0 ? { inputShape: [o.inputs] } : {}),
    });
  o.hidden.forEach((units, i) => {
    model.add(dense(units, o.activation, i, `hidden_${i + 1}`));
    if (o.dropout > 0) model.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: o.dropout, seed: o.seed + i }));
  });
  model.add(dense(o.head.units, o.head.activation, o.hidden.length, 'output'));
  return model;
}

/**
 * Captures a model's topology and weights in memory, for ModelSpec.tfjs.
 * @example
 * spec.tfjs = await serialiseModel(tf, model);
 */
export async function serialiseModel(tf: Tf, model: LayersModel): Promise<NonNullable<ModelSpec['tfjs']>> {
  let out: NonNullable<ModelSpec['tfjs']> | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      out = {
        modelTopology: artifacts.modelTopology,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: new Uint8Array(data),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

/**
 * Rebuilds a model from ModelSpec.tfjs. The caller disposes it.
 * @example
 * const model = await loadModel(tf, spec.tfjs!); try { … } finally { model.dispose(); }
 */
export async function loadModel(tf: Tf, saved: NonNullable<ModelSpec['tfjs']>): Promise<LayersModel> {
  // fromMemory wants an ArrayBuffer of exactly the weights: copy out of a possibly larger buffer.
  const bytes = saved.weightData.slice();
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: saved.modelTopology as any, weightSpecs: saved.weightSpecs as any, weightData: bytes.buffer }),
  );
}
