/**
 * scikit-learn's MLP training loop (`_fit_stochastic` with Adam) over the plain-loop network of
 * `_mlp-net.ts`: minibatches of min(200, n), stopping when the training loss (or, with early
 * stopping, the validation score) has not improved by `tol` for more than `nIterNoChange` epochs.
 * One departure: early stopping also counts a fall of the held-out loss as progress (see fitMlp).
 */
import { CancelledError, DataError } from '../../core/index.ts';
import { adam, adamStep } from './_adam.ts';
import type { Dense } from './_dense.ts';
import { backprop, forward, initWeights, workspace, type Activation, type MlpModel, type Workspace } from './_mlp-net.ts';
import { shuffleInPlace, validationSplit } from './_mlp-split.ts';
import { prng } from './_prng.ts';

export { mlpPredict, type MlpModel } from './_mlp-net.ts';

/** Training options, scikit-learn's MLPClassifier/MLPRegressor parameters under camelCase names. */
export interface MlpOptions {
  hidden: number[];
  activation: Activation;
  /** L2 strength: the loss gains α/2·‖W‖²/n_batch per batch (intercepts are not penalised). */
  alpha: number;
  /** Rows per minibatch; 'auto' = min(200, n). */
  batchSize: number | 'auto';
  learningRateInit: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Most epochs. */
  maxIter: number;
  tol: number;
  nIterNoChange: number;
  /**
   * Hold out `validationFraction` (stratified for classifiers) and stop when neither its score nor,
   * at an equal score, its loss improves by `tol`; keep the best (score, then loss) epoch's weights.
   */
  earlyStopping: boolean;
  validationFraction: number;
  shuffle: boolean;
  seed: number;
  /** Checked between batches; an abort throws CancelledError. */
  signal?: AbortSignal;
  onEpoch?(epoch: number, m: { loss: number; valScore?: number }): void;
}

/** scikit-learn 1.2's defaults. */
export const MLP_DEFAULTS: Readonly<MlpOptions> = Object.freeze({
  hidden: [100], activation: 'relu', alpha: 1e-4, batchSize: 'auto', learningRateInit: 1e-3, beta1: 0.9, beta2: 0.999,
  epsilon: 1e-8, maxIter: 200, tol: 1e-4, nIterNoChange: 10, earlyStopping: false, validationFraction: 0.1, shuffle: true, seed: 0,
} as MlpOptions);

/** The problem: class index targets (binary: 0/1, 1 = positive) or values (already standardised). */
export interface MlpKind {
  task: 'binary' | 'multiclass' | 'regression';
  classes: number;
}

/** A trained network and how its training went. */
export interface MlpFit {
  model: MlpModel;
  epochs: number;
  /** Training loss of the last epoch (data loss + L2 term, sklearn's `loss_`). */
  loss: number;
  stoppedEarly: boolean;
  /** Validation score (accuracy, or R² for regression) of the epoch whose weights were kept, when early stopping: the highest. */
  bestValScore?: number;
  /** Per epoch: training loss; with early stopping, the held-out score and loss (log-loss, or squared error / 2; no L2 term). */
  history: { loss: number[]; val_score?: number[]; val_loss?: number[] };
}

/**
 * Trains an MLP with scikit-learn's semantics on standardised features. Async only to let an abort
 * arrive: it yields to the event loop once per epoch when a signal is given.
 *
 * Early stopping departs from sklearn in one way: an epoch whose held-out score equals the best
 * but whose held-out loss is lower by `tol` is progress, and the better of equal scores. Accuracy
 * over a few held-out rows moves in steps of 1/rows; on a small table an epoch is a single Adam
 * step, so sklearn's rule stops on the random initial weights (iris: 12 epochs, chance accuracy).
 * Regression's R² is continuous (equal R² means equal loss) and large held-out sets rarely tie, so
 * there it trains exactly as sklearn does.
 * @example
 * const fit = await fitMlp(x, y, { task: 'multiclass', classes: 3 }, { hidden: [32, 16], seed: 1 });
 * const proba = mlpPredict(fit.model, xTest);
 */
export async function fitMlp(x: Dense, y: Float64Array, kind: MlpKind, options: Partial<MlpOptions> = {}): Promise<MlpFit> {
  const o = checkOptions({ ...MLP_DEFAULTS, ...options });
  checkData(x, y, kind);
  const rand = prng(o.seed);
  const outputs = kind.task === 'multiclass' ? kind.classes : 1;
  const layers = [x.cols, ...o.hidden, outputs];
  const output = kind.task === 'multiclass' ? 'softmax' : kind.task === 'binary' ? 'logistic' : 'identity';
  const model: MlpModel = { layers, activation: o.activation, output, weights: initWeights(layers, o.activation, rand) };
  const stratify = kind.task === 'regression' ? 0 : outputs === 1 ? 2 : outputs;
  const split = o.earlyStopping ? validationSplit(y, stratify, o.validationFraction, rand) : undefined;
  const rows = split?.train ?? Int32Array.from({ length: x.rows }, (_, i) => i);
  if (split && (split.val.length < 1 || rows.length < 1)) {
    throw new DataError(`mlp: early stopping holds out ${split.val.length} of ${x.rows} rows: give more rows or a validationFraction that leaves both parts non-empty`);
  }
  const batch = o.batchSize === 'auto' ? Math.min(200, rows.length) : Math.max(1, Math.min(o.batchSize, rows.length));
  const ws = workspace(layers, batch);
  const yBatch = new Float64Array(batch);
  const opt = adam(model.weights.length, { learningRate: o.learningRateInit, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon });
  const fit: MlpFit = { model, epochs: 0, loss: NaN, stoppedEarly: false, history: { loss: [], ...(split ? { val_score: [], val_loss: [] } : {}) } };
  let [best, bestValLoss, stale, bestWeights] = [split ? -Infinity : Infinity, Infinity, 0, undefined as Float64Array | undefined];
  for (let epoch = 1; epoch <= o.maxIter; epoch++) {
    if (o.shuffle) shuffleInPlace(rows, rand);
    let total = 0;
    for (let start = 0; start < rows.length; start += batch) {
      if (o.signal?.aborted) throw new CancelledError(`mlp: training cancelled after ${epoch - 1} epoch(s)`);
      const n = Math.min(batch, rows.length - start);
      gather(x, y, rows, start, n, ws.acts[0], yBatch);
      total += backprop(model, ws, yBatch, n, o.alpha) * n;
      adamStep(opt, model.weights, ws.grad);
    }
    const loss = total / rows.length;
    Object.assign(fit, { epochs: epoch, loss });
    fit.history.loss.push(loss);
    if (!Number.isFinite(loss)) break; // diverged: reported below as non-finite weights or loss
    let valScore: number | undefined;
    if (split) {
      const val = score(model, x, y, split.val, ws, yBatch, kind);
      valScore = val.score;
      fit.history.val_score!.push(valScore);
      fit.history.val_loss!.push(val.loss);
      // Accuracy over a few held-out rows moves in steps of 1/rows: on a small table, where an epoch is
      // one Adam step, it sits still for tens of epochs while the network is still learning. sklearn's
      // rule (score up by tol) then stops on the initial weights; a held-out loss falling by tol at
      // an unchanged score counts as progress too, and breaks the tie between equal scores (the
      // earliest of them would be the least trained).
      const progress = valScore >= best + o.tol || (valScore >= best && val.loss < bestValLoss - o.tol);
      stale = progress ? 0 : stale + 1;
      if (valScore > best || (valScore === best && val.loss < bestValLoss)) {
        [best, bestValLoss] = [valScore, val.loss];
        (bestWeights ??= new Float64Array(model.weights.length)).set(model.weights);
      }
    } else {
      stale = loss > best - o.tol ? stale + 1 : 0;
      if (loss < best) best = loss;
    }
    o.onEpoch?.(epoch, valScore === undefined ? { loss } : { loss, valScore });
    if (stale > o.nIterNoChange) {
      fit.stoppedEarly = true;
      break;
    }
    if (o.signal) await new Promise((resolve) => setImmediate(resolve));
  }
  if (bestWeights) [model.weights, fit.bestValScore] = [bestWeights, best];
  if (!Number.isFinite(fit.loss) || !model.weights.every(Number.isFinite)) {
    throw new DataError('mlp: training diverged (non-finite loss or weights): standardise the features and target, or lower the learningRate param');
  }
  return fit;
}

/** Copies the batch's rows and targets into the workspace (sklearn's `_safe_indexing`). */
function gather(x: Dense, y: Float64Array, rows: Int32Array, start: number, n: number, into: Float64Array, yInto: Float64Array): void {
  const cols = x.cols;
  for (let r = 0; r < n; r++) {
    const i = rows[start + r];
    into.set(x.data.subarray(i * cols, (i + 1) * cols), r * cols);
    yInto[r] = y[i];
  }
}

/**
 * sklearn's `_score` on the held-out rows — accuracy for classifiers, R² for regression — and their
 * mean loss without the L2 term (log-loss; squared error / 2 for regression), which moves every epoch.
 */
function score(model: MlpModel, x: Dense, y: Float64Array, val: Int32Array, ws: Workspace, yBatch: Float64Array, kind: MlpKind): { score: number; loss: number } {
  const k = model.layers[model.layers.length - 1];
  let [hits, sse, sum, sumSq, logLoss] = [0, 0, 0, 0, 0];
  for (let start = 0; start < val.length; start += ws.capacity) {
    const n = Math.min(ws.capacity, val.length - start);
    gather(x, y, val, start, n, ws.acts[0], yBatch);
    const out = forward(model, ws, n);
    for (let r = 0; r < n; r++) {
      const t = yBatch[r];
      if (kind.task === 'regression') {
        sse += (out[r] - t) * (out[r] - t);
        sum += t;
        sumSq += t * t;
      } else if (kind.task === 'binary') {
        hits += (out[r] > 0.5 ? 1 : 0) === t ? 1 : 0;
        logLoss -= Math.log(clip(t === 1 ? out[r] : 1 - out[r]));
      } else {
        hits += argmax(out, r * k, k) === t ? 1 : 0;
        logLoss -= Math.log(clip(out[r * k + t]));
      }
    }
  }
  if (kind.task !== 'regression') return { score: hits / val.length, loss: logLoss / val.length };
  const sst = sumSq - (sum * sum) / val.length;
  return { score: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0, loss: sse / (2 * val.length) }; // the training loss' scale
}

/** A probability clipped to [ε, 1 − ε] as sklearn's log-loss does, so a confident miss costs ~36, not ∞. */
function clip(p: number): number {
  return Math.min(Math.max(p, Number.EPSILON), 1 - Number.EPSILON);
}

function argmax(a: Float64Array, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (a[offset + j] > a[offset + best]) best = j;
  return best;
}

function checkOptions(o: MlpOptions): MlpOptions {
  const bad = (what: string) => new DataError(`mlp: ${what}`);
  if (!o.hidden.every((u) => Number.isInteger(u) && u >= 1)) throw bad(`hidden must be positive integers, got ${JSON.stringify(o.hidden)}`);
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) throw bad(`maxIter must be an integer ≥ 1, got ${o.maxIter}`);
  if (!Number.isInteger(o.nIterNoChange) || o.nIterNoChange < 1) throw bad(`nIterNoChange must be an integer ≥ 1, got ${o.nIterNoChange}`);
  if (o.batchSize !== 'auto' && !(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw bad(`batchSize must be 'auto' or an integer ≥ 1, got ${o.batchSize}`);
  for (const [name, v] of [['alpha', o.alpha], ['tol', o.tol], ['epsilon', o.epsilon], ['learningRateInit', o.learningRateInit]] as const) {
    if (!Number.isFinite(v) || v < 0) throw bad(`${name} must be a finite number ≥ 0, got ${v}`);
  }
  for (const [name, v] of [['beta1', o.beta1], ['beta2', o.beta2]] as const) if (!(v >= 0 && v < 1)) throw bad(`${name} must be in [0, 1), got ${v}`);
  if (o.earlyStopping && !(o.validationFraction > 0 && o.validationFraction < 1)) throw bad(`validationFraction must be in (0, 1), got ${o.validationFraction}`);
  if (!Number.isSafeInteger(o.seed)) throw bad(`seed must be an integer, got ${o.seed}`);
  return o;
}

function checkData(x: Dense, y: Float64Array, kind: MlpKind): void {
  if (x.rows < 1 || x.cols < 1) throw new DataError(`mlp: needs at least one row and one feature, got ${x.rows}×${x.cols}`);
  if (y.length !== x.rows) throw new DataError(`mlp: ${x.rows} feature rows but ${y.length} targets`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) throw new DataError(`mlp: feature row ${Math.floor(i / x.cols)}, column ${i % x.cols} is ${x.data[i]}: impute or drop non-finite values first`);
  }
  const classes = kind.task === 'binary' ? 2 : kind.task === 'multiclass' ? kind.classes : 0;
  if (kind.task === 'binary' && kind.classes !== 2) throw new DataError(`mlp: a binary problem has 2 classes, got ${kind.classes}`);
  if (kind.task === 'multiclass' && !(Number.isInteger(classes) && classes >= 2)) throw new DataError(`mlp: a multiclass problem needs ≥ 2 classes, got ${kind.classes}`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const ok = classes > 0 ? Number.isInteger(v) && v >= 0 && v < classes : Number.isFinite(v);
    if (!ok) throw new DataError(`mlp: target of row ${i} is ${v}; expected ${classes > 0 ? `a class index in [0, ${classes})` : 'a finite number'}`);
  }
}
