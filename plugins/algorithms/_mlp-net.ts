/**
 * A dense multilayer perceptron in plain loops over one Float64Array of weights, with scikit-learn's
 * MLP maths (Glorot init, loss, L2 term, gradients). For tabular nets of a few thousand weights, the
 * per-batch work is a few hundred thousand multiply-adds: tfjs' per-op dispatch costs more than that
 * (measured in test/bench/mlp.bench.ts), so the loops run on preallocated buffers, rows outer, the
 * contiguous output units innermost (i-k-j), skipping zero inputs (ReLU zeros a share of them).
 */

import { dense, type Dense } from './_dense.ts';
import { activate } from './_mlp-kernels.ts';
// The three matrix products run on WebAssembly SIMD (3.5–4× faster per epoch than the JS loops,
// test/bench/mlp-simd.bench.ts); _mlp-simd.ts falls back to the JS kernels where SIMD is unavailable.
import { affine, backDelta, layerGradient } from './_mlp-simd.ts';

/** Activation of the hidden layers (scikit-learn's names). */
export type Activation = 'relu' | 'tanh' | 'logistic' | 'identity';
/** Output layer: softmax (multiclass), logistic (binary, one unit), identity (regression). */
export type OutputActivation = 'softmax' | 'logistic' | 'identity';

/** A trained network: plain object; weights as sklearn's coefs_/intercepts_, layer after layer. */
export interface MlpModel {
  /** Units per layer, input first: [features, ...hidden, outputs]. */
  layers: number[];
  activation: Activation;
  output: OutputActivation;
  /** Per layer: coefficients fanIn×fanOut row-major (sklearn's `coefs_[l]`), then intercepts (fanOut). */
  weights: Float64Array;
}

/** Where one layer's coefficients (`w`) and intercepts (`b`) start in the weights vector. */
export interface LayerSlot {
  fanIn: number;
  fanOut: number;
  w: number;
  b: number;
}

/**
 * Offsets of each layer in the flat weights vector, and its length.
 * @example
 * layout([4, 8, 3]); // { slots: [{ fanIn: 4, fanOut: 8, w: 0, b: 32 }, { fanIn: 8, fanOut: 3, w: 40, b: 64 }], size: 67 }
 */
export function layout(layers: readonly number[]): { slots: LayerSlot[]; size: number } {
  const slots: LayerSlot[] = [];
  let at = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const fanIn = layers[l];
    const fanOut = layers[l + 1];
    slots.push({ fanIn, fanOut, w: at, b: at + fanIn * fanOut });
    at += fanIn * fanOut + fanOut;
  }
  return { slots, size: at };
}

/**
 * scikit-learn's initialisation: every coefficient and intercept uniform in ±√(f / (fanIn + fanOut)),
 * f = 2 for a logistic activation and 6 otherwise, drawn layer by layer (coefficients, then intercepts).
 * @example
 * const weights = initWeights([4, 8, 3], 'relu', prng(0));
 */
export function initWeights(layers: readonly number[], activation: Activation, rand: () => number): Float64Array {
  const { slots, size } = layout(layers);
  const weights = new Float64Array(size);
  const factor = activation === 'logistic' ? 2 : 6;
  for (const s of slots) {
    const bound = Math.sqrt(factor / (s.fanIn + s.fanOut));
    for (let i = s.w; i < s.b + s.fanOut; i++) weights[i] = bound * (2 * rand() - 1);
  }
  return weights;
}

/** Buffers for one batch of up to `capacity` rows: activations and deltas per layer, and the gradient. */
export interface Workspace {
  capacity: number;
  slots: LayerSlot[];
  /** acts[0] is the input batch (a copy, or a view over the caller's rows); acts[l] is capacity×layers[l]. */
  acts: Float64Array[];
  /** deltas[l] (l ≥ 1): dLoss/dz of layer l, per row (unscaled by batch size, as sklearn). */
  deltas: Float64Array[];
  grad: Float64Array;
}

/**
 * Allocates the buffers a forward and backward pass need, once per training run.
 * @example
 * const ws = workspace([20, 100, 3], 200);
 */
export function workspace(layers: readonly number[], capacity: number): Workspace {
  const { slots, size } = layout(layers);
  const acts = layers.map((units) => new Float64Array(capacity * units));
  const deltas = layers.map((units, l) => new Float64Array(l === 0 ? 0 : capacity * units));
  return { capacity, slots, acts, deltas, grad: new Float64Array(size) };
}

/**
 * Computes every layer's activations for the first `n` rows of `ws.acts[0]`; returns the output layer's
 * buffer (n×outputs valid).
 * @example
 * ws.acts[0].set(x.data.subarray(0, 200 * 20)); const out = forward(model, ws, 200);
 */
export function forward(model: MlpModel, ws: Workspace, n: number): Float64Array {
  const w = model.weights;
  const last = ws.slots.length - 1;
  for (let l = 0; l <= last; l++) {
    const s = ws.slots[l];
    const z = ws.acts[l + 1];
    affine(ws.acts[l], n, s, w, z);
    activate(l === last ? model.output : model.activation, z, n * s.fanOut, s.fanOut);
  }
  return ws.acts[last + 1];
}

/** float64 machine epsilon: sklearn clips probabilities to [eps, 1 − eps] in the log-loss. */
const EPS = 2.220446049250313e-16;

/**
 * Forward and backward pass on the first `n` rows of `ws.acts[0]` with targets `y` (class index,
 * 0/1 for binary, or value per row): fills `ws.grad` as sklearn's `_backprop` does — coefficient
 * gradients (aᵀδ + α·W) / n, intercept gradients mean(δ) — and returns the batch loss, including
 * the L2 term α/2·‖W‖²/n.
 * @example
 * const loss = backprop(model, ws, yBatch, 200, 1e-4); adamStep(adam, model.weights, ws.grad);
 */
export function backprop(model: MlpModel, ws: Workspace, y: Float64Array, n: number, alpha: number): number {
  const out = forward(model, ws, n);
  const { slots, acts, deltas, grad } = ws;
  const w = model.weights;
  const last = slots.length - 1;
  const k = slots[last].fanOut;
  const d = deltas[last + 1];
  let loss = 0;
  if (model.output === 'softmax') {
    for (let i = 0; i < n; i++) {
      const c = y[i];
      for (let j = 0; j < k; j++) d[i * k + j] = out[i * k + j] - (j === c ? 1 : 0);
      loss -= Math.log(Math.min(Math.max(out[i * k + c], EPS), 1 - EPS));
    }
  } else if (model.output === 'logistic') {
    for (let i = 0; i < n; i++) {
      const p = Math.min(Math.max(out[i], EPS), 1 - EPS);
      d[i] = out[i] - y[i];
      loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const r = (d[i] = out[i] - y[i]);
      loss += r * r;
    }
    loss /= 2 * k;
  }
  loss /= n;
  let squares = 0;
  for (let l = last; l >= 0; l--) {
    const s = slots[l];
    squares += layerGradient(acts[l], deltas[l + 1], n, s, w, grad, alpha);
    if (l > 0) backDelta(deltas[l + 1], n, s, w, acts[l], deltas[l], model.activation);
  }
  return loss + (0.5 * alpha * squares) / n;
}

/** Rows per forward pass at prediction: bounds the activation buffers whatever the table's size. */
const PREDICT_CHUNK = 512;

/**
 * Predicts every row of `x` (standardised as in training): class probabilities n×k (binary: n×2,
 * [P(class 0), P(class 1)]), or n×1 values for regression.
 * @example
 * const proba = mlpPredict(fit.model, x); proba.data[i * proba.cols + c]; // P(row i is class c)
 */
export function mlpPredict(model: MlpModel, x: Dense): Dense {
  const inputs = model.layers[0];
  if (x.cols !== inputs) throw new RangeError(`mlpPredict: the model takes ${inputs} feature(s), got ${x.cols}`);
  const k = model.layers[model.layers.length - 1];
  const cols = model.output === 'logistic' ? 2 : k;
  const result = dense(x.rows, cols);
  const ws = workspace(model.layers, Math.min(PREDICT_CHUNK, Math.max(1, x.rows)));
  for (let start = 0; start < x.rows; start += ws.capacity) {
    const n = Math.min(ws.capacity, x.rows - start);
    ws.acts[0] = x.data.subarray(start * inputs, (start + n) * inputs);
    const out = forward(model, ws, n);
    if (cols === k) result.data.set(out.subarray(0, n * k), start * k);
    else {
      for (let i = 0; i < n; i++) {
        result.data[(start + i) * 2] = 1 - out[i];
        result.data[(start + i) * 2 + 1] = out[i];
      }
    }
  }
  return result;
}
