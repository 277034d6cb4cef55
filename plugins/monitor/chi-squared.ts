/**
 * Pearson's chi-squared goodness-of-fit test, equal to `scipy.stats.chisquare(observed, expected)`,
 * used as Evidently does: current counts against reference frequencies scaled to the current size.
 */
import { gammaQ } from './_special.ts';

/** The statistic, its p-value and degrees of freedom (categories − 1). */
export interface ChiSquaredResult {
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
}

/**
 * Σ (observed − expected)² / expected and `chi2.sf(statistic, k − 1)`. A category expected 0 times
 * but observed gives an infinite statistic and p = 0, as in scipy. With one category the test has no
 * degrees of freedom: scipy returns NaN there, this returns p = 1 (nothing can have drifted).
 * @example
 * chiSquared([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]) // { statistic: 3.5, pValue: 0.6233… }
 */
export function chiSquared(observed: readonly number[], expected: readonly number[]): ChiSquaredResult {
  if (observed.length !== expected.length) throw new RangeError('chiSquared: observed and expected differ in length');
  const k = observed.length;
  if (k <= 1) return { statistic: 0, pValue: 1, degreesOfFreedom: 0 };
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const diff = observed[i] - expected[i];
    if (expected[i] === 0) statistic += diff === 0 ? 0 : Number.POSITIVE_INFINITY;
    else statistic += (diff * diff) / expected[i];
  }
  return { statistic, pValue: gammaQ((k - 1) / 2, statistic / 2), degreesOfFreedom: k - 1 };
}

/**
 * Evidently's categorical drift test: reference shares × current size as expected counts over the
 * union of categories seen on either side.
 * @example
 * chiSquaredFromShares({ a: 0.5, b: 0.5 }, { a: 30, b: 70 }).pValue < 0.05 // true
 */
export function chiSquaredFromShares(
  referenceShares: Readonly<Record<string, number>>,
  currentCounts: Readonly<Record<string, number>>,
): ChiSquaredResult {
  const keys = unionKeys(referenceShares, currentCounts);
  let total = 0;
  for (const key of keys) total += currentCounts[key] ?? 0;
  const observed = keys.map((key) => currentCounts[key] ?? 0);
  const expected = keys.map((key) => (referenceShares[key] ?? 0) * total);
  return chiSquared(observed, expected);
}

/** Sorted union of own keys, so results never depend on insertion order. */
export function unionKeys(...maps: Readonly<Record<string, number>>[]): string[] {
  const keys = new Set<string>();
  for (const map of maps) for (const key of Object.keys(map)) keys.add(key);
  return [...keys].sort();
}

/**
 * Chi-squared test of homogeneity on the 2 × k table (reference counts, current counts), equal to
 * `scipy.stats.chi2_contingency([reference, current], correction=False)`. Unlike Evidently's
 * goodness-of-fit form it counts the reference's own sampling noise, so on two equal halves of the
 * same data it flags ~5 % of features instead of ~10–25 %, and a category seen once is not "infinite" drift.
 * @example
 * chiSquaredHomogeneity({ a: 30, b: 20 }, { a: 25, b: 25 }).pValue // ≈ 0.3173
 */
export function chiSquaredHomogeneity(
  referenceCounts: Readonly<Record<string, number>>,
  currentCounts: Readonly<Record<string, number>>,
): ChiSquaredResult {
  const keys = unionKeys(referenceCounts, currentCounts).filter((k) => (referenceCounts[k] ?? 0) + (currentCounts[k] ?? 0) > 0);
  const ref = keys.map((k) => referenceCounts[k] ?? 0);
  const cur = keys.map((k) => currentCounts[k] ?? 0);
  const nRef = ref.reduce((a, b) => a + b, 0);
  const nCur = cur.reduce((a, b) => a + b, 0);
  const total = nRef + nCur;
  const observed = [...ref, ...cur];
  const expected = [...ref.map((r, i) => ((r + cur[i]) * nRef) / total), ...cur.map((c, i) => ((ref[i] + c) * nCur) / total)];
  const k = keys.length;
  if (k <= 1 || nRef === 0 || nCur === 0) return { statistic: 0, pValue: 1, degreesOfFreedom: 0 };
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) statistic += (observed[i] - expected[i]) ** 2 / expected[i];
  return { statistic, pValue: gammaQ((k - 1) / 2, statistic / 2), degreesOfFreedom: k - 1 };
}
