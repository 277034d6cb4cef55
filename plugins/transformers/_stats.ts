/**
 * Plain statistics over the present values of a column. Written here rather than with arquero ops
 * because the fitted numbers must be exactly reproducible and explainable in a Transform.
 */

/**
 * The present numbers (not null, not NaN).
 * @example
 * present(Float64Array.of(1, NaN, 3)) // Float64Array [1, 3]
 */
export function present(values: ArrayLike<number | null>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v === v) count++;
  }
  const out = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v === v) out[k++] = v;
  }
  return out;
}

/**
 * Arithmetic mean.
 * @example
 * mean([1, 2, 6]) // 3
 */
export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  if (Number.isFinite(sum) || !allFinite(xs)) return sum / xs.length;
  // Finite values whose sum overflows (1e308 + 1e308): sum them scaled, so the mean stays finite.
  // Only then, so ordinary columns keep the exact sums scikit-learn's StandardScaler gets.
  const scale = maxAbs(xs, 0);
  let scaled = 0;
  for (let i = 0; i < xs.length; i++) scaled += xs[i] / scale;
  return (scaled / xs.length) * scale;
}

/**
 * Population standard deviation (divides by n, as scikit-learn's StandardScaler does).
 * @example
 * std([1, 3]) // 1
 */
export function std(xs: ArrayLike<number>, mu: number = mean(xs)): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += (xs[i] - mu) ** 2;
  if (Number.isFinite(sum) || !allFinite(xs) || !Number.isFinite(mu)) return Math.sqrt(sum / xs.length);
  // Squares overflow for values past ~1e154: compute on values scaled into range (a std of 1e200 is finite).
  const scale = maxAbs(xs, mu);
  let scaled = 0;
  for (let i = 0; i < xs.length; i++) scaled += (xs[i] / scale - mu / scale) ** 2;
  return Math.sqrt(scaled / xs.length) * scale;
}

function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

/** The largest |x| and |mu|: dividing by it brings every value into [-1, 1]. */
function maxAbs(xs: ArrayLike<number>, mu: number): number {
  let m = Math.abs(mu);
  for (let i = 0; i < xs.length; i++) if (Math.abs(xs[i]) > m) m = Math.abs(xs[i]);
  return m || 1;
}

/**
 * Quantile with linear interpolation between order statistics (numpy's default method).
 * @example
 * quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(xs: ArrayLike<number>, p: number): number {
  // A typed array sorts numerically in native code, without a comparator call per pair.
  const sorted = Float64Array.from(xs).sort();
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Median (mean of the two middle values for an even count).
 * @example
 * median([4, 1, 3, 2]) // 2.5
 */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/**
 * The most frequent value; ties go to the smallest (numbers numerically, others by string), as in
 * scikit-learn, so the choice does not depend on row order.
 * @example
 * mostFrequent(['b', 'a', 'b', 'a']) // 'a'
 */
export function mostFrequent<T extends number | string | boolean>(values: readonly T[]): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = -1;
  for (const [v, n] of counts) {
    if (n > bestCount || (n === bestCount && compareValues(v, best as T) < 0)) {
      best = v;
      bestCount = n;
    }
  }
  return best as T;
}

/**
 * Orders numbers numerically and anything else by its string form (code-unit order, locale-free so
 * a Transform fitted on one machine sorts the same on another).
 * @example
 * [10, 9].sort(compareValues) // [9, 10]
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
