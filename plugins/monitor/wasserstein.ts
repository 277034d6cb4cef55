/**
 * First Wasserstein (earth mover's) distance between two samples, equal to
 * `scipy.stats.wasserstein_distance(u, v)`, and Evidently's normalised form: divided by the reference
 * standard deviation (population, ddof 0), floored at 0.001 so a constant column does not divide by 0.
 */

/**
 * ∫ |U(x) − V(x)| dx over the pooled sorted values, U and V the two empirical CDFs.
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]) // 5
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const su = Float64Array.from(u).sort();
  const sv = Float64Array.from(v).sort();
  const nu = su.length;
  const nv = sv.length;
  if (nu === 0 || nv === 0) throw new RangeError('wassersteinDistance: both samples need at least one value');
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Math.min(su[0], sv[0]);
  while (i < nu || j < nv) {
    const x = Math.min(i < nu ? su[i] : Number.POSITIVE_INFINITY, j < nv ? sv[j] : Number.POSITIVE_INFINITY);
    total += Math.abs(i / nu - j / nv) * (x - prev);
    while (i < nu && su[i] === x) i++;
    while (j < nv && sv[j] === x) j++;
    prev = x;
  }
  return total;
}

/** The floor on the reference standard deviation, as Evidently. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/**
 * Wasserstein distance in units of the reference standard deviation; drift when >= 0.1 (Evidently).
 * @example
 * normalisedWasserstein([0, 1, 2, 3], [1, 2, 3, 4], 1.118) // ≈ 0.894
 */
export function normalisedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>, referenceStd: number): number {
  return wassersteinDistance(reference, current) / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR);
}
