/**
 * The truncated normal of Optuna 3.1's `_tpe/_truncnorm.py` (itself SciPy's): log-CDF, log of the
 * mass in an interval, inverse CDF by bisection, log-density. A port rather than jStat because TPE's
 * choices must equal Optuna's to ~1e-12, tails included, and these are the formulas it ranks with.
 * Everything is in standard units (a, b, x already (v − μ)/σ).
 */
import { erf, erfc } from './_erf.ts';

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const LN2 = Math.LN2;
const DBL_EPSILON = 2.220446049250313e-16;

/**
 * Φ(a), the standard normal CDF, through erfc in the tails so they keep their precision.
 * @example
 * ndtr(0) // 0.5
 */
export function ndtr(a: number): number {
  const x = a / SQRT2;
  if (x < -1 / SQRT2) return 0.5 * erfc(-x);
  if (x < 1 / SQRT2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** Optuna's vectorised `_ndtr` (0.5 + 0.5·erf), used where it uses that one: the central mass. */
function ndtrCentral(a: number): number {
  return 0.5 + 0.5 * erf(a / SQRT2);
}

/**
 * ln Φ(a); below −20 an asymptotic series, because Φ underflows there.
 * @example
 * logNdtr(-30) // -454.32…
 */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLHS = -0.5 * a * a - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let lastTotal = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  // Converges in a handful of terms for a ≤ −20; the cap only guards a NaN input.
  for (let i = 1; i < 1000 && Math.abs(lastTotal - rhs) > DBL_EPSILON; i++) {
    lastTotal = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLHS + Math.log(rhs);
}

/**
 * ln(eˣ + eʸ) without overflow, as numpy's logaddexp.
 * @example
 * logAddExp(0, 0) // ln 2
 */
export function logAddExp(x: number, y: number): number {
  if (x === y) return x + LN2;
  const d = x - y;
  if (d > 0) return x + Math.log1p(Math.exp(-d));
  if (d <= 0) return y + Math.log1p(Math.exp(d));
  return d;
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

/**
 * ln(Φ(b) − Φ(a)), computed in the left tail by symmetry (the right tail loses precision).
 * @example
 * logGaussMass(-1, 1) // ln 0.6827 = -0.3817…
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtrCentral(a) - ndtrCentral(-b));
}

/** The x with ln Φ(x) = y, by (at most) 100 bisections on [−100, 100], exactly as Optuna 3.1 does it. */
function ndtriExp(y: number): number {
  let lo = -100;
  let hi = 100;
  if (logNdtr(lo) > y) [lo, hi] = [hi, lo];
  let m = 0;
  for (let i = 0; i < 100; i++) {
    m = (lo + hi) / 2;
    // lo and hi adjacent doubles: every later step gives this same m, so Optuna's 100th equals it.
    if (m === lo || m === hi) break;
    if (logNdtr(m) < y) lo = m;
    else hi = m;
  }
  return m;
}

/**
 * Inverse CDF of the standard normal truncated to [a, b], at quantile q.
 * @example
 * ppf(0.5, -1, 1) // ≈ 0
 */
export function ppf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/**
 * ln of the standard normal density at x, less `logMass` (= logGaussMass(a, b)); −∞ outside [a, b].
 * Like Optuna 3.1 it does not subtract ln σ: its Parzen estimator ranks with that density.
 * @example
 * truncLogPdf(0, -1, 1, logGaussMass(-1, 1))
 */
export function truncLogPdf(x: number, a: number, b: number, logMass: number): number {
  if (a === b) return NaN;
  if (x < a || b < x) return -Infinity;
  return -(x * x) / 2 - LOG_SQRT_2PI - logMass;
}
