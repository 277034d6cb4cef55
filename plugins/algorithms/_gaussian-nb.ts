import { DataError } from '../../core/index.ts';
import { dense, type Dense } from './_dense.ts';

/** A fitted Gaussian naive Bayes: per class, a prior and an independent normal per feature. */
export interface GaussianNbModel {
  format: 'mlcycle-gaussian-nb';
  classes: number;
  features: number;
  /** Share of training rows per class (0 for a class with none: it is then never predicted). */
  prior: Float64Array;
  /** classes × features, row-major: per-class feature means. */
  mean: Float64Array;
  /** classes × features: per-class population variance plus `epsilon`. */
  variance: Float64Array;
  /** varSmoothing × the largest feature variance over all training rows (scikit-learn's epsilon_). */
  epsilon: number;
}

/**
 * Fits Gaussian naive Bayes exactly as scikit-learn's GaussianNB.fit (no sample weights, priors
 * from class counts): class means and population variances, then every variance raised by
 * varSmoothing × the largest overall feature variance. O(rows × features).
 * @example
 * const nb = fitGaussianNb(x, y, 3, { varSmoothing: 1e-9 });
 */
export function fitGaussianNb(x: Dense, y: Float64Array, classes: number, o: { varSmoothing: number }): GaussianNbModel {
  const { rows, cols } = x;
  if (y.length !== rows) throw new RangeError(`fitGaussianNb: ${rows} rows but ${y.length} targets`);
  if (!(Number.isInteger(classes) && classes >= 1)) throw new RangeError(`fitGaussianNb: classes = ${classes} must be an integer ≥ 1`);
  if (!(Number.isFinite(o.varSmoothing) && o.varSmoothing >= 0)) {
    throw new DataError(`naive-bayes: varSmoothing = ${o.varSmoothing} must be a finite number ≥ 0`);
  }
  if (rows === 0) throw new DataError('naive-bayes: no training rows');
  checkFinite(x, 'naive-bayes: training feature');
  const count = new Float64Array(classes);
  for (let i = 0; i < rows; i++) {
    const c = y[i];
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new DataError(`naive-bayes: target at row ${i} is ${c}; expected a class index in 0..${classes - 1}`);
    count[c]++;
  }
  const all = groupMeanVariance(x, undefined, 1);
  let maxVar = 0;
  for (let j = 0; j < cols; j++) maxVar = Math.max(maxVar, all.variance[j]);
  const epsilon = o.varSmoothing * maxVar;
  const { mean, variance } = groupMeanVariance(x, y, classes);
  for (let c = 0; c < classes; c++) {
    // A class without rows has mean 0/0: give it a harmless 0 (its prior 0 already rules it out).
    if (count[c] === 0) mean.fill(0, c * cols, (c + 1) * cols);
    for (let j = 0; j < cols; j++) variance[c * cols + j] = count[c] === 0 ? epsilon : variance[c * cols + j] + epsilon;
  }
  const zero = variance.findIndex((v, i) => v <= 0 && count[Math.floor(i / cols)] > 0);
  if (zero >= 0) {
    throw new DataError(
      `naive-bayes: feature ${zero % cols} is constant within class ${Math.floor(zero / cols)} and varSmoothing adds nothing; raise params.varSmoothing above 0 or drop constant features`,
    );
  }
  const prior = count.map((v) => v / rows);
  return { format: 'mlcycle-gaussian-nb', classes, features: cols, prior, mean, variance, epsilon };
}

/**
 * Class posteriors (n × classes) as scikit-learn's GaussianNB.predict_proba: the joint
 * log-likelihood per class, normalised by log-sum-exp so no row underflows to all zeros.
 * @example
 * const probs = gaussianNbPredict(nb, xTest); // probs.data[i * nb.classes + c]
 */
export function gaussianNbPredict(model: GaussianNbModel, x: Dense): Dense {
  const { classes, features: d } = model;
  if (x.cols !== d) throw new DataError(`naive-bayes: rows to predict have ${x.cols} features, the model was trained on ${d}`);
  checkFinite(x, 'naive-bayes: feature to predict');
  const logPrior = model.prior.map(Math.log);
  // Per class: −½ Σ log(2π σ²), the part of the log-likelihood that does not depend on the row.
  const norm = new Float64Array(classes);
  const terms = new Float64Array(d);
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < d; j++) terms[j] = Math.log(2 * Math.PI * model.variance[c * d + j]);
    norm[c] = -0.5 * numpySum(terms, 0, d);
  }
  const out = dense(x.rows, classes);
  const jll = new Float64Array(classes);
  for (let i = 0; i < x.rows; i++) {
    const xo = i * d;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      // A class with no training rows is never predicted (its variances may be 0 when epsilon is).
      if (model.prior[c] === 0) {
        jll[c] = -Infinity;
        continue;
      }
      for (let j = 0; j < d; j++) {
        const u = x.data[xo + j] - model.mean[c * d + j];
        terms[j] = (u * u) / model.variance[c * d + j];
      }
      jll[c] = logPrior[c] + (norm[c] - 0.5 * numpySum(terms, 0, d));
      if (jll[c] > max) max = jll[c];
    }
    if (!Number.isFinite(max)) {
      throw new DataError(`naive-bayes: row ${i} is so far from every class that all log-likelihoods are ${max}; check its feature values`);
    }
    // scipy's logsumexp: shift by the largest term, sum, log, shift back.
    const shift = max;
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(jll[c] - shift);
    const logTotal = Math.log(s) + shift;
    for (let c = 0; c < classes; c++) out.data[i * classes + c] = Math.exp(jll[c] - logTotal);
  }
  return out;
}

/**
 * Per-group column means and population variances, each summed in row order as numpy's axis-0
 * reductions over X[y == c] do. Two passes over the rows in all, whatever the number of groups.
 */
function groupMeanVariance(x: Dense, group: Float64Array | undefined, groups: number) {
  const { rows, cols, data } = x;
  const n = new Float64Array(groups);
  const mean = new Float64Array(groups * cols);
  const variance = new Float64Array(groups * cols);
  for (let i = 0; i < rows; i++) {
    const g = group ? group[i] : 0;
    const o = g * cols;
    const io = i * cols;
    n[g]++;
    for (let j = 0; j < cols; j++) mean[o + j] += data[io + j];
  }
  for (let g = 0; g < groups; g++) for (let j = 0; j < cols; j++) mean[g * cols + j] /= n[g];
  for (let i = 0; i < rows; i++) {
    const o = (group ? group[i] : 0) * cols;
    const io = i * cols;
    for (let j = 0; j < cols; j++) {
      const u = data[io + j] - mean[o + j];
      variance[o + j] += u * u;
    }
  }
  for (let g = 0; g < groups; g++) for (let j = 0; j < cols; j++) variance[g * cols + j] /= n[g];
  return { mean, variance };
}

/**
 * numpy's sum of a contiguous float64 run: pairwise, with 8 running sums per block of ≤ 128
 * (checked bit-for-bit against np.sum). Matching its order keeps results within an ulp of
 * scikit-learn's rather than drifting with the feature count.
 */
function numpySum(a: Float64Array, o: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[o + i];
    return s;
  }
  if (n <= 128) {
    let r0 = a[o], r1 = a[o + 1], r2 = a[o + 2], r3 = a[o + 3], r4 = a[o + 4], r5 = a[o + 5], r6 = a[o + 6], r7 = a[o + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r0 += a[o + i];
      r1 += a[o + i + 1];
      r2 += a[o + i + 2];
      r3 += a[o + i + 3];
      r4 += a[o + i + 4];
      r5 += a[o + i + 5];
      r6 += a[o + i + 6];
      r7 += a[o + i + 7];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += a[o + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, o, n2) + numpySum(a, o + n2, n - n2);
}

function checkFinite(x: Dense, what: string): void {
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new DataError(`${what} at row ${Math.floor(i / x.cols)}, column ${i % x.cols} is ${x.data[i]}; impute or drop it first`);
    }
  }
}
