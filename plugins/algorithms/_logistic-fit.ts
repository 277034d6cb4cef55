/**
 * scikit-learn's LogisticRegression(penalty='l2', solver='lbfgs', multi_class='auto') in plain
 * TypeScript: binary problems fit one coefficient row (P(class 1) = σ(x·w + b)), k > 2 classes a
 * multinomial softmax with k rows. Minimises, like scikit-learn 1.2, the mean log loss plus
 * ‖W‖²/(2·C·n) (the same optimum as C·Σ loss + ½‖W‖²), the intercepts unpenalised, by L-BFGS from
 * zero. One objective evaluation is one streaming pass over the rows (logits, log-sum-exp, gradient).
 */
import { CancelledError, DataError } from '../../core/index.ts';
import { dense, type Dense } from './_dense.ts';
import { minimizeLbfgs } from './_lbfgs.ts';
import { BLOCK, columnBlocks } from './_linalg.ts';
import { checkFinite } from './_ridge.ts';

export interface LogisticOptions {
  /** Inverse L2 strength; null or Infinity = no penalty. Must be > 0. */
  C: number | null;
  fitIntercept?: boolean;
  /** Stop when every component of the gradient of the mean objective is ≤ tol; 1e-8 by default. */
  tol?: number;
  /** Iteration cap; 1000 by default. Hitting it returns `converged: false`. */
  maxIter?: number;
  signal?: AbortSignal;
  onIteration?(iteration: number, loss: number): void;
}

/** A fitted logistic model: `rows` = 1 (binary) or k, coef is rows × d, row-major. */
export interface LogisticFit {
  coef: Float64Array;
  intercept: Float64Array;
  iterations: number;
  converged: boolean;
  /** The minimised objective: mean log loss + ‖W‖²/(2·C·n). */
  loss: number;
}

/**
 * Fits a logistic regression on features `x` and class indices `y` (0..k−1).
 * @example
 * const fit = fitLogistic(x, Int32Array.from(labels), 3, { C: 1 });
 * predictLogistic(fit, x); // n × 3 class probabilities
 */
export function fitLogistic(x: Dense, y: Int32Array, k: number, o: LogisticOptions): LogisticFit {
  const { rows: n, cols: d } = x;
  if (!(Number.isInteger(k) && k >= 2)) throw new DataError(`fitLogistic: needs at least 2 classes, got ${k}; a target with one class cannot be classified`);
  if (y.length !== n) throw new DataError(`fitLogistic: ${n} feature rows but ${y.length} labels; pass one label per row`);
  if (n === 0) throw new DataError('fitLogistic: no training rows; check the split and the filters before training');
  for (let i = 0; i < n; i++) if (!(y[i] >= 0 && y[i] < k)) throw new DataError(`fitLogistic: label ${i} is ${y[i]}, outside the class indices 0..${k - 1}`);
  const C = o.C ?? Infinity;
  if (!(C > 0)) throw new DataError(`fitLogistic: C must be > 0 (or null for no penalty), got ${o.C}`);
  const tol = o.tol ?? 1e-8;
  const maxIter = o.maxIter ?? 1000;
  if (!(tol > 0 && Number.isFinite(tol))) throw new DataError(`fitLogistic: tol must be a finite number > 0, got ${tol}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw new DataError(`fitLogistic: maxIter must be an integer ≥ 0, got ${maxIter}`);
  checkFinite(x);
  if (o.signal?.aborted) throw new CancelledError('logistic regression cancelled before training');
  const fitIntercept = o.fitIntercept ?? true;
  const rows = k === 2 ? 1 : k;
  const penalty = Number.isFinite(C) ? 1 / (C * n) : 0;
  const fg = logisticObjective(x, y, k, fitIntercept, penalty);
  const r = minimizeLbfgs(fg, new Float64Array(rows * d + (fitIntercept ? rows : 0)), {
    gtol: tol,
    maxIter,
    onIteration(it, f) {
      if (o.signal?.aborted) throw new CancelledError(`logistic regression cancelled after ${it} iteration(s)`);
      o.onIteration?.(it, f);
    },
  });
  return {
    coef: r.x.slice(0, rows * d),
    intercept: fitIntercept ? r.x.slice(rows * d) : new Float64Array(rows),
    iterations: r.iterations,
    converged: r.converged,
    loss: r.f,
  };
}

/**
 * Class probabilities (n × k, rows sum to 1) from a fitted model: two columns [1 − p, p] for a
 * binary model, the softmax of the k logits otherwise.
 * @example
 * const proba = predictLogistic(fitLogistic(x, y, 3, { C: 1 }), x); // proba.data[i * 3 + c]
 */
export function predictLogistic(model: { coef: Float64Array; intercept: Float64Array }, x: Dense): Dense {
  const { rows: n, cols: d, data } = x;
  const rows = model.intercept.length;
  if (model.coef.length !== rows * d) throw new DataError(`predictLogistic: the model has ${model.coef.length / rows} features per class but the rows have ${d}; predict with the same features the model was trained on`);
  const k = rows === 1 ? 2 : rows;
  const out = dense(n, k);
  const p = out.data;
  const w = model.coef, b = model.intercept;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    if (rows === 1) {
      let z = b[0];
      for (let j = 0; j < d; j++) z += w[j] * data[o + j];
      const s = sigmoid(z);
      p[2 * i] = 1 - s; p[2 * i + 1] = s;
      continue;
    }
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      let z = b[c];
      for (let j = 0, wo = c * d; j < d; j++) z += w[wo + j] * data[o + j];
      p[i * k + c] = z;
      if (z > m) m = z;
    }
    let s = 0;
    for (let c = 0; c < k; c++) { const e = Math.exp(p[i * k + c] - m); p[i * k + c] = e; s += e; }
    for (let c = 0; c < k; c++) p[i * k + c] /= s;
  }
  return out;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The objective and gradient for L-BFGS: mean log loss + penalty·½‖W‖², θ = [W (rows × d,
 * row-major), b (rows)?], rows = 1 (binary, sigmoid) or k (softmax). X is read through
 * `columnBlocks`, so both the logits (axpys over a block's columns) and the gradient (4-wide dot
 * products over a block) run on contiguous memory without a loop-carried store.
 */
function logisticObjective(x: Dense, y: Int32Array, k: number, fitIntercept: boolean, penalty: number) {
  const { rows: n, cols: d } = x;
  const rows = k === 2 ? 1 : k;
  const xb = columnBlocks(x);
  const B = BLOCK;
  const z = new Float64Array(rows * B); // logits, then residuals p − onehot(y)
  const inv = 1 / n;
  const rd = rows * d;
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i0 = 0, base = 0; i0 < n; i0 += B, base += B * d) {
      const m = Math.min(B, n - i0);
      // Four columns per sweep of the block: a quarter of the loads and stores of z.
      for (let c = 0; c < rows; c++) {
        const zc = c * B, wo = c * d;
        z.fill(fitIntercept ? theta[rd + c] : 0, zc, zc + m);
        let j = 0;
        for (; j + 3 < d; j += 4) {
          const w0 = theta[wo + j], w1 = theta[wo + j + 1], w2 = theta[wo + j + 2], w3 = theta[wo + j + 3];
          const p0 = base + j * B;
          for (let r = 0; r < m; r++) {
            const p = p0 + r;
            z[zc + r] += w0 * xb[p] + w1 * xb[p + B] + w2 * xb[p + 2 * B] + w3 * xb[p + 3 * B];
          }
        }
        for (; j < d; j++) {
          const w = theta[wo + j];
          for (let r = 0, p = base + j * B; r < m; r++, p++) z[zc + r] += w * xb[p];
        }
      }
      if (rows === 1) {
        for (let r = 0; r < m; r++) {
          const v = z[r];
          // log(1 + e^{±v}) through e = e^{−|v|} ≤ 1, so nothing overflows.
          const e = Math.exp(-Math.abs(v));
          const yi = y[i0 + r];
          loss += (yi === 1 ? (v < 0 ? -v : 0) : (v > 0 ? v : 0)) + Math.log1p(e);
          z[r] = (v >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi;
        }
      } else {
        for (let r = 0; r < m; r++) {
          let mx = -Infinity;
          for (let c = 0, q = r; c < k; c++, q += B) if (z[q] > mx) mx = z[q];
          const yi = y[i0 + r];
          const zy = z[yi * B + r];
          let se = 0;
          for (let c = 0, q = r; c < k; c++, q += B) { const e = Math.exp(z[q] - mx); z[q] = e; se += e; }
          loss += mx + Math.log(se) - zy;
          const invSe = 1 / se;
          for (let c = 0, q = r; c < k; c++, q += B) z[q] *= invSe;
          z[yi * B + r] -= 1;
        }
      }
      for (let c = 0; c < rows; c++) {
        const zc = c * B, gc = c * d;
        if (fitIntercept) { let s = 0; for (let r = 0; r < m; r++) s += z[zc + r]; grad[rd + c] += s; }
        let j = 0;
        for (; j + 3 < d; j += 4) {
          const p0 = base + j * B;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let r = 0; r < m; r++) {
            const v = z[zc + r], p = p0 + r;
            s0 += v * xb[p]; s1 += v * xb[p + B]; s2 += v * xb[p + 2 * B]; s3 += v * xb[p + 3 * B];
          }
          grad[gc + j] += s0; grad[gc + j + 1] += s1; grad[gc + j + 2] += s2; grad[gc + j + 3] += s3;
        }
        for (; j < d; j++) {
          const p0 = base + j * B;
          let s = 0;
          for (let r = 0; r < m; r++) s += z[zc + r] * xb[p0 + r];
          grad[gc + j] += s;
        }
      }
    }
    let reg = 0;
    for (let q = 0; q < rd; q++) {
      grad[q] = grad[q] * inv + penalty * theta[q];
      reg += theta[q] * theta[q];
    }
    if (fitIntercept) for (let c = 0; c < rows; c++) grad[rd + c] *= inv;
    return loss * inv + 0.5 * penalty * reg;
  };
}
