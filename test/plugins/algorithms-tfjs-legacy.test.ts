/**
 * TensorFlow.js models (what mlcycle 0.1 trained, and bundles it exported as tfjs layers models) still
 * predict: through the wasm backend, with the stored feature and target scaling applied.
 */
import { describe, expect, it } from '@jest/globals';
import * as aq from 'arquero';
import type { ModelSpec } from '../../plugins/kinds.ts';
import { initTf, timeMatmul } from '../../plugins/algorithms/_backend.ts';
import { predictTable } from '../../plugins/algorithms/predict-table.ts';
import { buildNetwork, headFor, serialiseModel } from '../../plugins/algorithms/_tfjs-network.ts';

describe('TensorFlow.js models', () => {
  it('loads wasm (tfjs-node is not installed here) and it computes', async () => {
    const { tf, backend } = await initTf();
    expect(['tensorflow', 'wasm']).toContain(backend);
    const times = await timeMatmul(tf, [backend], 64, 2);
    expect(Object.keys(times)).toEqual([backend]);
    expect(tf.getBackend()).toBe(backend);
  });

  it('a saved tfjs classifier predicts what the network computes on the scaled rows', async () => {
    const { tf } = await initTf();
    const net = buildNetwork(tf, { inputs: 2, hidden: [4], activation: 'relu', dropout: 0, l2: 0, head: headFor('multiclass', 3), seed: 3 });
    const saved = await serialiseModel(tf, net);
    const featureScaling = { mean: [10, -1], std: [2, 0.5] };
    const spec: ModelSpec = {
      algorithm: 'mlp', task: 'multiclass', target: 'y', features: ['a', 'b'], classes: ['p', 'q', 'r'], tfjs: saved,
      info: { featureScaling },
    };
    const rows = [[12, -1.5], [9, 0], [10, -1]];
    const out = await predictTable(spec, aq.table({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) }));
    const scaled = rows.map((r) => r.map((v, j) => (v - featureScaling.mean[j]) / featureScaling.std[j]));
    const expected = tf.tidy(() => (net.predict(tf.tensor2d(scaled)) as import('@tensorflow/tfjs').Tensor2D).arraySync());
    net.dispose();
    for (let i = 0; i < rows.length; i++) {
      expect(out.get('prob_p', i)).toBeCloseTo(expected[i][0], 6);
      expect(out.get('prob_r', i)).toBeCloseTo(expected[i][2], 6);
    }
  });

  it('a saved tfjs regressor maps its output back through the target scaling', async () => {
    const { tf } = await initTf();
    const net = buildNetwork(tf, { inputs: 1, hidden: [], activation: 'linear', dropout: 0, l2: 0, head: headFor('regression', 0), seed: 1 });
    const saved = await serialiseModel(tf, net);
    const w = (net.getWeights()[0].dataSync() as Float32Array)[0];
    const b = (net.getWeights()[1].dataSync() as Float32Array)[0];
    net.dispose();
    const spec: ModelSpec = {
      algorithm: 'linear-regression', task: 'regression', target: 'y', features: ['x'], tfjs: saved,
      info: { featureScaling: { mean: [0], std: [1] }, targetScaling: { mean: 100, std: 10 } },
    };
    const out = await predictTable(spec, aq.table({ x: [2] }));
    expect(out.get('predicted', 0)).toBeCloseTo((2 * w + b) * 10 + 100, 4);
  });
});
