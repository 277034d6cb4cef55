import type { LayersModel, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { CancelledError, type TaskContext } from '../../core/index.ts';
import type { Tf } from './_backend.ts';
import type { Head } from './_tfjs-network.ts';
import type { TrainingParams } from './_tfjs-params.ts';
import { permutation, prng } from './_prng.ts';

/** What a training loop ended with, for ModelSpec.info. */
export interface FitSummary {
  epochs: number;
  loss: number;
  val_loss?: number;
  stoppedEarly: boolean;
  /** Per-epoch metrics (`{ loss: [..], val_loss: [..] }`, tfjs History shape): the report's learning curve. */
  history: Record<string, number[]>;
}

/**
 * Trains `model` on rows `x` and targets `y` (already encoded for the head), one epoch at a time so
 * that shuffling is seeded (tfjs' own shuffle uses Math.random), each epoch is reported, early
 * stopping keeps the best weights, and an aborted `ctx.signal` stops within one batch.
 * @example
 * const summary = await fitModel(tf, model, X, Y, head, params, seed, ctx);
 */
export async function fitModel(
  tf: Tf, model: LayersModel, x: number[][], y: number[][], head: Head, p: TrainingParams, seed: number, ctx: TaskContext,
): Promise<FitSummary> {
  const rand = prng(seed);
  const order = permutation(x.length, rand);
  const nVal = heldOutRows(x.length, p);
  const [valRows, trainRows] = [order.slice(0, nVal), order.slice(nVal)];
  if (p.patience > 0 && nVal === 0) ctx.log.warn('patience is set but no rows are held out (validationFraction too small): early stopping is off');
  const pick = (rows: number[], m: number[][]) => tf.tensor2d(rows.map((i) => m[i]), [rows.length, m[0].length]);
  const xTrain = pick(trainRows, x);
  const yTrain = pick(trainRows, y);
  const val = nVal > 0 ? ([pick(valRows, x), pick(valRows, y)] as [Tensor2D, Tensor2D]) : undefined;
  const optimizer = makeOptimizer(tf, p);
  const classifier = head.loss !== 'meanSquaredError';
  model.compile({ optimizer, loss: head.loss, metrics: classifier ? ['accuracy'] : [] });
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout');
  let best: { loss: number; weights: Tensor[] } | undefined;
  let sinceBest = 0;
  const summary: FitSummary = { epochs: 0, loss: NaN, stoppedEarly: false, history: {} };
  try {
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      if (ctx.signal.aborted) throw cancelled(epoch - 1);
      const idx = tf.tensor1d(permutation(trainRows.length, rand), 'int32');
      const [xs, ys] = [tf.gather(xTrain, idx), tf.gather(yTrain, idx)];
      idx.dispose();
      const history = await model
        .fit(xs, ys, {
          epochs: 1, batchSize: p.batchSize, shuffle: false, validationData: val, verbose: 0,
          callbacks: {
            // A fixed dropout seed would draw the same mask every batch; a fresh seeded one per batch stays reproducible.
            onBatchBegin: async () => dropouts.forEach((l) => ((l as any).seed = Math.floor(rand() * 2 ** 31))),
            onBatchEnd: async () => {
              if (ctx.signal.aborted) model.stopTraining = true;
            },
          },
        })
        .finally(() => tf.dispose([xs, ys]));
      if (ctx.signal.aborted) throw cancelled(epoch - 1);
      const metrics = lastOf(history.history);
      ctx.report(epoch, metrics);
      for (const [name, value] of Object.entries(metrics)) (summary.history[name] ??= []).push(value);
      Object.assign(summary, { epochs: epoch, loss: metrics.loss, val_loss: metrics.val_loss });
      if (p.patience > 0 && metrics.val_loss !== undefined) {
        if (!best || metrics.val_loss < best.loss) {
          tf.dispose(best?.weights ?? []);
          best = { loss: metrics.val_loss, weights: model.getWeights().map((w) => w.clone()) };
          sinceBest = 0;
        } else if (++sinceBest >= p.patience) {
          summary.stoppedEarly = true;
          break;
        }
      }
    }
    if (best) {
      model.setWeights(best.weights);
      summary.val_loss = best.loss;
    }
    return summary;
  } finally {
    tf.dispose([xTrain, yTrain, ...(val ?? []), ...(best?.weights ?? [])]);
    optimizer.dispose();
  }
}

/**
 * How many of `n` training rows are held out for validation. Unless `validationFraction` is set,
 * rows are held out only when early stopping (patience > 0) needs them: a held-out row is never
 * fitted, and without early stopping it would only feed the val_loss curve.
 * @example
 * heldOutRows(120, { patience: 0 }); // 0
 * heldOutRows(120, { patience: 5 }); // 12
 */
export function heldOutRows(n: number, p: Pick<TrainingParams, 'validationFraction' | 'patience'>): number {
  const fraction = p.validationFraction ?? (p.patience > 0 ? 0.1 : 0);
  return Math.max(0, Math.min(Math.floor(n * fraction), n - 1));
}

function cancelled(epochs: number): CancelledError {
  return new CancelledError(`training cancelled after ${epochs} epoch(s)`);
}

function makeOptimizer(tf: Tf, p: TrainingParams) {
  if (p.optimizer === 'sgd') return tf.train.sgd(p.learningRate);
  if (p.optimizer === 'rmsprop') return tf.train.rmsprop(p.learningRate);
  return tf.train.adam(p.learningRate);
}

/** tfjs names accuracy 'acc' and keeps lists per epoch; report one number per metric, Keras-style names. */
function lastOf(history: Record<string, Array<number | Tensor>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, values] of Object.entries(history)) {
    const v = values[values.length - 1];
    const name = key === 'acc' ? 'accuracy' : key === 'val_acc' ? 'val_accuracy' : key;
    out[name] = typeof v === 'number' ? v : (v as Tensor).dataSync()[0];
  }
  return out;
}
