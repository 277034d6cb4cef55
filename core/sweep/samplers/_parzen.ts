/**
 * The univariate Parzen estimator of Optuna 3.1's TPE (`_tpe/parzen_estimator.py` with
 * multivariate = False): a mixture with one kernel per observation plus a prior kernel. Numerical
 * params get truncated-normal kernels whose widths are the gaps to the neighbouring observations
 * (clipped, "magic clip"); ints and stepped floats integrate each kernel over the value's cell;
 * categorical params get a smoothed one-hot row per observation. TPE builds one for the good trials
 * (l) and one for the others (g), samples candidates from l and keeps the best l/g.
 */
import type { Prng } from '../_prng.ts';
import { roundHalfEven, snapToGrid } from '../distribution.ts';
import { logGaussMass, ppf, truncLogPdf } from './_truncnorm.ts';

/** The param as the estimator sees it: numbers in the user's units, categories by index. */
export type ParzenParam =
  | { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { kind: 'int'; low: number; high: number; log: boolean; step: number }
  | { kind: 'categorical'; size: number };

/** Optuna's `_ParzenEstimatorParameters` (univariate). */
export interface ParzenOptions {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Weights of n observations in chronological order (Optuna's `weights` argument). */
  weights: (n: number) => number[];
}

/**
 * Optuna's `default_weights`: equal below 25 observations, then a linear ramp from 1/n that
 * down-weights all but the 25 most recent ones.
 * @example
 * defaultWeights(27) // [1/27, 1, 1, …] (27 numbers)
 */
export function defaultWeights(n: number): number[] {
  if (n <= 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const start = 1 / n;
  const step = m > 1 ? (1 - start) / (m - 1) : NaN;
  const ramp = Array.from({ length: m }, (_, i) => (i === 0 ? start : i === m - 1 ? 1 : i * step + start));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** The estimator's mixture: normalised component weights and, by kind, kernels or category rows. */
export interface ParzenMixture {
  weights: Float64Array;
  /** Numerical: kernel centres and widths in the internal (log for `log`) units; null for categorical. */
  mus: Float64Array | null;
  sigmas: Float64Array | null;
  /** Categorical: one probability row per component; null for numerical. */
  categorical: Float64Array[] | null;
  /** Internal bounds of numerical kernels (cell edges for stepped params) and the cell width, if any. */
  low: number;
  high: number;
  q: number | null;
}

/** Internal bounds: log for log params, widened by half a step for stepped ones, as Optuna does. */
function parzenBounds(p: Exclude<ParzenParam, { kind: 'categorical' }>): { low: number; high: number; q: number | null } {
  if (p.kind === 'float') {
    if (p.log) return { low: Math.log(p.low), high: Math.log(p.high), q: null };
    if (p.step !== null) return { low: p.low - 0.5 * p.step, high: p.high + 0.5 * p.step, q: p.step };
    return { low: p.low, high: p.high, q: null };
  }
  if (p.log) return { low: Math.log(p.low - 0.5), high: Math.log(p.high + 0.5), q: null };
  return { low: p.low - 0.5 * p.step, high: p.high + 0.5 * p.step, q: p.step };
}

function componentWeights(n: number, opts: ParzenOptions): { weights: Float64Array; prior: boolean } {
  const prior = opts.considerPrior || n === 0;
  const w = opts.weights(n).slice(0, n);
  if (w.length !== n || w.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new RangeError(`TPE weights(${n}) must return ${n} finite non-negative numbers`);
  }
  const weights = new Float64Array(prior ? n + 1 : n);
  weights.set(w);
  if (prior) weights[n] = opts.priorWeight;
  let sum = 0;
  for (const x of weights) sum += x;
  if (!(sum > 0)) throw new RangeError(`TPE weights(${n}) must not all be zero`);
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return { weights, prior };
}

/** Kernel widths: the larger gap to a neighbour (prior included), end kernels use their inner gap. */
function numericalKernels(obs: readonly number[], low: number, high: number, prior: boolean, opts: ParzenOptions) {
  const n = obs.length;
  const mus = new Float64Array(prior ? n + 1 : n);
  mus.set(obs);
  if (prior) mus[n] = 0.5 * (low + high);
  const m = mus.length;
  // numpy's argsort of ≤ 16 items is an insertion sort (stable); stable everywhere keeps ties deterministic.
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => mus[i] - mus[j] || i - j);
  const ends = new Float64Array(m + 2);
  ends[0] = low;
  for (let k = 0; k < m; k++) ends[k + 1] = mus[order[k]];
  ends[m + 1] = high;
  const sorted = new Float64Array(m);
  for (let k = 0; k < m; k++) sorted[k] = Math.max(ends[k + 1] - ends[k], ends[k + 2] - ends[k + 1]);
  if (!opts.considerEndpoints && m + 2 >= 4) {
    sorted[0] = ends[2] - ends[1];
    sorted[m - 1] = ends[m] - ends[m - 1];
  }
  const maxSigma = high - low;
  const minSigma = opts.considerMagicClip ? (high - low) / Math.min(100, 1 + m) : 1e-12;
  const sigmas = new Float64Array(m);
  for (let k = 0; k < m; k++) sigmas[order[k]] = Math.min(Math.max(sorted[k], minSigma), maxSigma);
  if (prior) sigmas[n] = high - low;
  return { mus, sigmas };
}

/**
 * Builds the mixture for `observations` (chronological; numbers in user units, category indices).
 * @example
 * buildParzen([0.2, 0.7], { kind: 'float', low: 0, high: 1, log: false, step: null }, TPE_DEFAULTS)
 */
export function buildParzen(observations: readonly number[], param: ParzenParam, opts: ParzenOptions): ParzenMixture {
  const n = observations.length;
  const { weights, prior } = componentWeights(n, opts);
  if (param.kind === 'categorical') {
    const rows: Float64Array[] = [];
    const fill = prior ? opts.priorWeight / (n + 1) : opts.priorWeight / n;
    for (let i = 0; i < weights.length; i++) {
      const row = new Float64Array(param.size).fill(fill);
      if (i < n) row[observations[i]] += 1;
      let s = 0;
      for (const x of row) s += x;
      for (let k = 0; k < row.length; k++) row[k] /= s;
      rows.push(row);
    }
    return { weights, mus: null, sigmas: null, categorical: rows, low: NaN, high: NaN, q: null };
  }
  const { low, high, q } = parzenBounds(param);
  const internal = param.log ? observations.map(Math.log) : observations;
  const { mus, sigmas } = numericalKernels(internal, low, high, prior, opts);
  return { weights, mus, sigmas, categorical: null, low, high, q };
}

/** numpy's `choice(p=…)`: the first component whose cumulative weight exceeds a uniform draw. */
function pickComponent(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A kernel draw (internal units) back to a value of the param, snapped and clipped as Optuna does. */
function toExternal(param: Exclude<ParzenParam, { kind: 'categorical' }>, x: number): number {
  if (param.kind === 'float') {
    if (param.log) return Math.exp(x);
    return param.step === null ? x : snapToGrid({ ...param, step: param.step }, x);
  }
  if (param.log) return Math.min(Math.max(roundHalfEven(Math.exp(x)), param.low), param.high);
  return snapToGrid(param, x);
}

/**
 * `size` draws from the mixture, in the param's values (category indices for categorical). Draws
 * component choices first, then one uniform per draw, like Optuna (with our PRNG, not numpy's).
 * @example
 * sampleParzen(mixture, param, createPrng(1, 10), 24)
 */
export function sampleParzen(mix: ParzenMixture, param: ParzenParam, rng: Prng, size: number): number[] {
  const cdf = new Float64Array(mix.weights.length);
  let acc = 0;
  for (let i = 0; i < cdf.length; i++) cdf[i] = acc += mix.weights[i];
  for (let i = 0; i < cdf.length; i++) cdf[i] /= acc;
  const active = Array.from({ length: size }, () => pickComponent(cdf, rng.next()));
  if (param.kind === 'categorical') {
    const rows = mix.categorical as Float64Array[];
    return active.map((c) => {
      const u = rng.next();
      let cum = 0;
      let k = 0;
      for (const p of rows[c]) if ((cum += p) < u) k++;
      return Math.min(k, param.size - 1);
    });
  }
  const mus = mix.mus as Float64Array;
  const sigmas = mix.sigmas as Float64Array;
  return active.map((c) => {
    const a = (mix.low - mus[c]) / sigmas[c];
    const b = (mix.high - mus[c]) / sigmas[c];
    return toExternal(param, ppf(rng.next(), a, b) * sigmas[c] + mus[c]);
  });
}

/**
 * ln of the mixture's density (mass, for stepped params and categories) at each value.
 * @example
 * logPdfParzen(mixture, param, [0.3, 0.5])
 */
export function logPdfParzen(mix: ParzenMixture, param: ParzenParam, values: readonly number[]): Float64Array {
  const m = mix.weights.length;
  const logW = Float64Array.from(mix.weights, Math.log);
  const out = new Float64Array(values.length);
  if (param.kind === 'categorical') {
    const rows = mix.categorical as Float64Array[];
    values.forEach((v, s) => {
      let p = 0;
      for (let c = 0; c < m; c++) p += rows[c][v] * mix.weights[c];
      out[s] = Math.log(p);
    });
    return out;
  }
  const mus = mix.mus as Float64Array;
  const sigmas = mix.sigmas as Float64Array;
  const { low, high, q } = mix;
  // The normalising mass of each kernel does not depend on the value: once per kernel, not per pair.
  const logAccept = new Float64Array(m);
  for (let c = 0; c < m; c++) logAccept[c] = logGaussMass((low - mus[c]) / sigmas[c], (high - mus[c]) / sigmas[c]);
  const comp = new Float64Array(m);
  values.forEach((raw, s) => {
    const x = param.log ? Math.log(raw) : raw;
    let max = -Infinity;
    for (let c = 0; c < m; c++) {
      const mu = mus[c];
      const sg = sigmas[c];
      let lp: number;
      if (q === null) {
        lp = truncLogPdf((x - mu) / sg, (low - mu) / sg, (high - mu) / sg, logAccept[c]);
      } else {
        const ub = Math.min(x + q / 2, high);
        const lb = Math.max(x - q / 2, low);
        lp = logGaussMass((lb - mu) / sg, (ub - mu) / sg) - logAccept[c];
      }
      comp[c] = lp + logW[c];
      if (comp[c] > max) max = comp[c];
    }
    let sum = 0;
    for (let c = 0; c < m; c++) sum += Math.exp(comp[c] - max);
    out[s] = Math.log(sum) + max;
  });
  return out;
}
