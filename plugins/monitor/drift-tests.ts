/**
 * Per-feature drift tests against a reference profile, chosen as Evidently chooses by default:
 * while the reference has <= 1,000 values, KS (numbers) or chi-squared (categories), drift when
 * p < 0.05; above that, where any p-value tends to 0 on large samples and cries wolf, normalised
 * Wasserstein (numbers) or Jensen–Shannon (categories), drift when the distance >= 0.1. PSI always,
 * plus the checks no test covers: out-of-range values, new categories, a jump in the missing share.
 */
import { chiSquaredFromShares, chiSquaredHomogeneity, unionKeys } from './chi-squared.ts';
import { jensenShannonDistance } from './jensen-shannon.ts';
import { ksTwoSample } from './ks.ts';
import type { CategoricalProfile, NumericProfile } from './profile.ts';
import { binCounts, psi } from './psi.ts';
import { normalisedWasserstein } from './wasserstein.ts';
import { categoryCounts, numericValues } from './_values.ts';

export type DriftTestName = 'ks' | 'chi-squared' | 'wasserstein' | 'jensen-shannon' | 'none';

export interface DriftThresholds {
  /** A p-value below this is drift (KS, chi-squared). Default 0.05. */
  pValue: number;
  /** A distance at or above this is drift (normalised Wasserstein, Jensen–Shannon). Default 0.1. */
  distance: number;
  /** Reference values up to which the p-value tests are used. Default 1000. */
  smallReference: number;
  /** |current − reference| missing share above this is a jump. Default 0.05 (5 percentage points). */
  missingShareJump: number;
  /**
   * Small-reference categorical test: 'homogeneity' (default: a 2 × k contingency chi-squared, as scipy's
   * chi2_contingency, which counts the reference's own sampling noise) or 'goodness-of-fit' (Evidently's:
   * current counts against reference shares taken as exact). Evidently's rule cries wolf on small references:
   * 9 % dataset false alarms on same-data penguins halves, and a category seen once on one side only is an
   * infinite statistic (npm run bench:drift); the homogeneity test gives 4 %.
   */
  categoricalTest: 'goodness-of-fit' | 'homogeneity';
}

export const DEFAULT_THRESHOLDS: DriftThresholds = { pValue: 0.05, distance: 0.1, smallReference: 1000, missingShareJump: 0.05, categoricalTest: 'homogeneity' };

export interface FeatureDrift {
  name: string;
  kind: 'numeric' | 'categorical';
  test: DriftTestName;
  /** The p-value (ks, chi-squared) or the distance (wasserstein, jensen-shannon); NaN when no test ran. */
  score: number;
  /** The test statistic (D for KS, χ² for chi-squared; the distance again for distances). */
  statistic: number;
  drifted: boolean;
  psi: number;
  referenceCount: number;
  currentCount: number;
  missing: { reference: number; current: number; jumped: boolean };
  /** Numbers only: current values outside the reference [min, max]. */
  outOfRange?: { below: number; above: number; share: number };
  /** Categories only: current categories the reference never had, with their counts. */
  newCategories?: Record<string, number>;
}

/** The key that stands for categories the profile did not keep (more than maxCategories). */
export const OTHER_CATEGORY = '\u0000other';

/**
 * Tests one numeric feature.
 * @example
 * numericDrift(profile.features[0] as NumericProfile, [40.1, 38.2], DEFAULT_THRESHOLDS).drifted
 */
export function numericDrift(ref: NumericProfile, raw: ArrayLike<unknown>, t: DriftThresholds): FeatureDrift {
  const { values, missing } = numericValues(ref.name, raw, 'current');
  const missingCurrent = raw.length ? missing / raw.length : 0;
  let below = 0;
  let above = 0;
  for (const v of values) {
    if (v < ref.min) below++;
    else if (v > ref.max) above++;
  }
  const base = {
    name: ref.name,
    kind: 'numeric' as const,
    referenceCount: ref.count,
    currentCount: values.length,
    missing: { reference: ref.missingShare, current: missingCurrent, jumped: Math.abs(missingCurrent - ref.missingShare) > t.missingShareJump },
    outOfRange: { below, above, share: values.length ? (below + above) / values.length : 0 },
  };
  if (values.length === 0) return { ...base, test: 'none', score: Number.NaN, statistic: Number.NaN, drifted: false, psi: Number.NaN };
  const psiValue = psi(ref.psiShares, binCounts(values, ref.psiEdges));
  if (ref.count <= t.smallReference) {
    const ks = ksTwoSample(ref.sample, values);
    return { ...base, test: 'ks', score: ks.pValue, statistic: ks.statistic, drifted: ks.pValue < t.pValue, psi: psiValue };
  }
  const distance = normalisedWasserstein(ref.sample, values, ref.std);
  return { ...base, test: 'wasserstein', score: distance, statistic: distance, drifted: distance >= t.distance, psi: psiValue };
}

/**
 * Tests one categorical feature.
 * @example
 * categoricalDrift(profile.features[1] as CategoricalProfile, ['Dream', 'Dream'], DEFAULT_THRESHOLDS).newCategories
 */
export function categoricalDrift(ref: CategoricalProfile, raw: ArrayLike<unknown>, t: DriftThresholds): FeatureDrift {
  const { counts: rawCounts, present, missing } = categoryCounts(ref.name, raw, 'current');
  const missingCurrent = raw.length ? missing / raw.length : 0;
  const referenceShares: Record<string, number> = Object.create(null);
  for (const key of Object.keys(ref.shares)) referenceShares[key] = ref.shares[key];
  if (ref.otherShare > 0) referenceShares[OTHER_CATEGORY] = ref.otherShare;
  // With a truncated profile an unknown category may be a rare one that was left out, so it joins
  // the "other" bucket instead of being called new.
  const counts: Record<string, number> = Object.create(null);
  const newCategories: Record<string, number> = Object.create(null);
  for (const key of Object.keys(rawCounts)) {
    if (Object.hasOwn(referenceShares, key)) counts[key] = rawCounts[key];
    else if (ref.otherShare > 0) counts[OTHER_CATEGORY] = (counts[OTHER_CATEGORY] ?? 0) + rawCounts[key];
    else counts[key] = newCategories[key] = rawCounts[key];
  }
  const base = {
    name: ref.name,
    kind: 'categorical' as const,
    referenceCount: ref.count,
    currentCount: present,
    missing: { reference: ref.missingShare, current: missingCurrent, jumped: Math.abs(missingCurrent - ref.missingShare) > t.missingShareJump },
    newCategories,
  };
  if (present === 0) return { ...base, test: 'none', score: Number.NaN, statistic: Number.NaN, drifted: false, psi: Number.NaN };
  const keys = unionKeys(referenceShares, counts);
  const refShares = keys.map((k) => referenceShares[k] ?? 0);
  const curShares = keys.map((k) => (counts[k] ?? 0) / present);
  const psiValue = psi(refShares, curShares);
  if (ref.count <= t.smallReference) {
    const chi = t.categoricalTest === 'homogeneity' ? chiSquaredHomogeneity(referenceCounts(referenceShares, ref.count), counts) : chiSquaredFromShares(referenceShares, counts);
    return { ...base, test: 'chi-squared', score: chi.pValue, statistic: chi.statistic, drifted: chi.pValue < t.pValue, psi: psiValue };
  }
  const distance = jensenShannonDistance(refShares, curShares);
  return { ...base, test: 'jensen-shannon', score: distance, statistic: distance, drifted: distance >= t.distance, psi: psiValue };
}

/** Counts back from shares × count (shares were counts / count, so rounding restores them exactly). */
function referenceCounts(shares: Readonly<Record<string, number>>, count: number): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const key of Object.keys(shares)) out[key] = Math.round(shares[key] * count);
  return out;
}
