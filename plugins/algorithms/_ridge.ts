/**
 * Least squares and ridge regression in closed form, as scikit-learn's LinearRegression and
 * Ridge(solver='cholesky') compute them: centre X and y (so the intercept is not penalised), solve
 * the normal equations (XᵀX + αI)w = Xᵀy, intercept = ȳ − x̄·w. With α = 0 the solution is the
 * minimum-norm one (scipy's lstsq), so one-hot dummies that sum to the intercept and duplicated or
 * constant columns give finite coefficients and the same predictions as scikit-learn.
 */
import { DataError } from '../../core/index.ts';
import type { Dense } from './_dense.ts';
import { cholesky, choleskySolve, columnStats, gram, minNormSolve } from './_linalg.ts';

/** A fitted linear model: ŷ = x·coef + intercept. */
export interface LinearFit {
  coef: Float64Array;
  intercept: number;
  /** Numerical rank of the centred design (columns used); d when α > 0. */
  rank: number;
}

/**
 * Fits ŷ = x·w + b minimising Σᵢ sᵢ(yᵢ − ŷᵢ)² + α‖w‖² (s = sample weights, default 1).
 * @example
 * const fit = fitRidge(x, y, { alpha: 1 });           // Ridge(alpha=1)
 * const ols = fitRidge(x, y, { alpha: 0 });           // LinearRegression()
 * predictLinear(ols.coef, ols.intercept, x);
 */
export function fitRidge(x: Dense, y: Float64Array, o: { alpha: number; fitIntercept?: boolean; sampleWeight?: Float64Array }): LinearFit {
  const { rows: n, cols: d } = x;
  const fitIntercept = o.fitIntercept ?? true;
  const alpha = o.alpha;
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new DataError(`fitRidge: alpha must be a finite number ≥ 0, got ${alpha}`);
  if (y.length !== n) throw new DataError(`fitRidge: ${n} feature rows but ${y.length} targets; pass one target per row`);
  if (n === 0) throw new DataError('fitRidge: no training rows; check the split and the filters before training');
  checkFinite(x, y, o.sampleWeight);
  const stats = fitIntercept ? columnStats(x, o.sampleWeight) : undefined;
  let yMean = 0;
  if (fitIntercept) {
    let s = 0;
    let ws = 0;
    for (let i = 0; i < n; i++) { const w = o.sampleWeight ? o.sampleWeight[i] : 1; s += w * y[i]; ws += w; }
    yMean = ws > 0 ? s / ws : 0;
  }
  const { gram: g, xty } = gram(x, { center: stats?.mean, weights: o.sampleWeight, y, yMean });
  // A constant column centres to zero: its coefficient is 0 (as scikit-learn's), not rounding noise.
  if (stats) for (let j = 0; j < d; j++) if (stats.constant[j]) { for (let k = 0; k < d; k++) { g[j * d + k] = 0; g[k * d + j] = 0; } xty[j] = 0; }
  let coef: Float64Array;
  let rank = d;
  if (alpha > 0) {
    const a = g.slice();
    for (let j = 0; j < d; j++) a[j * d + j] += alpha;
    if (cholesky(a, d)) coef = choleskySolve(a, d, xty.slice());
    else {
      for (let j = 0; j < d; j++) g[j * d + j] += alpha;
      ({ w: coef, rank } = minNormSolve(g, xty, d, { exclude: stats?.constant }));
    }
  } else {
    ({ w: coef, rank } = minNormSolve(g, xty, d, { exclude: stats?.constant }));
  }
  let intercept = 0;
  if (stats) {
    intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= stats.mean[j] * coef[j];
  }
  return { coef, intercept, rank };
}

/**
 * ŷ = x·coef + intercept for every row.
 * @example
 * predictLinear(Float64Array.of(2), 1, denseFromRows([[3]])); // Float64Array [7]
 */
export function predictLinear(coef: Float64Array, intercept: number, x: Dense): Float64Array {
  const { rows: n, cols: d, data } = x;
  if (coef.length !== d) throw new DataError(`predictLinear: the model has ${coef.length} coefficients but the rows have ${d} features; predict with the same features the model was trained on`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = intercept;
    for (let j = 0, p = i * d; j < d; j++, p++) s += data[p] * coef[j];
    out[i] = s;
  }
  return out;
}

/**
 * Refuses NaN and ±Infinity in features, targets or weights (they would silently poison every coefficient).
 * @example
 * checkFinite(x, y); // throws DataError naming the first bad cell
 */
export function checkFinite(x: Dense, y?: ArrayLike<number>, weights?: ArrayLike<number>): void {
  const { cols: d, data } = x;
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p])) throw new DataError(`features row ${Math.floor(p / d)} column ${p % d} is ${data[p]}; impute or drop missing and infinite values before training`);
  }
  if (y) for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new DataError(`target row ${i} is ${y[i]}; drop rows with a missing target before training`);
  if (weights) for (let i = 0; i < weights.length; i++) if (!(Number.isFinite(weights[i]) && weights[i] >= 0)) throw new DataError(`sample weight ${i} is ${weights[i]}; weights must be finite and ≥ 0`);
}
