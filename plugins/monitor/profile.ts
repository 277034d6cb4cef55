/**
 * The reference profile: everything drift monitoring needs from the training data, so the rows
 * themselves never travel with a model. Plain JSON, bounded size: per numeric feature at most
 * `sampleSize` (1,000) sample values plus ~40 numbers; per categorical feature at most
 * `maxCategories` (1,000) shares.
 *
 * The numeric sample is the whole reference column while it has <= sampleSize values (so the KS test
 * in that regime is exactly scipy's on the training data) and otherwise an even-quantile subsample:
 * the order statistics at ranks ⌊(i + ½)·n / s⌋. Unlike a reservoir sample it is deterministic (no seed
 * to record) and its empirical CDF is within 1/s of the full column's at every point, where a random
 * sample of 1,000 strays by ~3 %; it keeps real values only (integers stay integers).
 */
import { ValidationError } from '../../core/errors.ts';
import { binCounts, psiEdges } from './psi.ts';
import { categoryCounts, type FeatureKind, inferKind, numericValues } from './_values.ts';

export interface NumericProfile {
  name: string;
  kind: 'numeric';
  /** Non-missing reference values. */
  count: number;
  missingShare: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof 0), as Evidently normalises Wasserstein by. */
  std: number;
  /** Sorted; the whole column when `sampleIsComplete`. */
  sample: number[];
  sampleIsComplete: boolean;
  /** Interior PSI bin edges (reference deciles) and the reference share in each of the edges.length + 1 bins. */
  psiEdges: number[];
  psiShares: number[];
  /** Equal-width histogram over [min, max] for reports. */
  histogram: { edges: number[]; counts: number[] };
}

export interface CategoricalProfile {
  name: string;
  kind: 'categorical';
  count: number;
  missingShare: number;
  /** Share of the non-missing reference values per category (the most frequent `maxCategories`). */
  shares: Record<string, number>;
  /** Share of the categories left out when there were more than `maxCategories`; 0 when none were. */
  otherShare: number;
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface ReferenceProfile {
  version: 1;
  rows: number;
  features: FeatureProfile[];
}

export interface ProfileOptions {
  /** Feature kinds; a feature left out is numeric when all its values are numbers. */
  kinds?: Readonly<Record<string, FeatureKind>>;
  /** Reference values kept per numeric feature (default 1000, the KS/Wasserstein switch point). */
  sampleSize?: number;
  /** Categories kept per categorical feature (default 1000). */
  maxCategories?: number;
  /** Histogram bins for reports (default 20). */
  histogramBins?: number;
}

/**
 * Profiles the reference (training) columns.
 * @example
 * const profile = buildProfile({ bill: [39.1, 39.5, null], island: ['Dream', 'Biscoe', 'Dream'] });
 * profile.features[0].kind // 'numeric'
 */
export function buildProfile(columns: Readonly<Record<string, ArrayLike<unknown>>>, options: ProfileOptions = {}): ReferenceProfile {
  const sampleSize = options.sampleSize ?? 1000;
  const maxCategories = options.maxCategories ?? 1000;
  const bins = options.histogramBins ?? 20;
  for (const [what, v] of [['sampleSize', sampleSize], ['maxCategories', maxCategories], ['histogramBins', bins]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValidationError(`buildProfile: options.${what} must be an integer >= 1, got ${v}`);
  }
  const names = Object.keys(columns);
  if (names.length === 0) throw new ValidationError('buildProfile: no columns to profile; pass the feature columns of the training data');
  const rows = columns[names[0]].length;
  const features = names.map((name): FeatureProfile => {
    const values = columns[name];
    if (values.length !== rows) throw new ValidationError(`buildProfile: column '${name}' has ${values.length} values, '${names[0]}' has ${rows}`);
    const kind = options.kinds && Object.hasOwn(options.kinds, name) ? options.kinds[name] : inferKind(values);
    return kind === 'numeric' ? numericProfile(name, values, sampleSize, bins) : categoricalProfile(name, values, maxCategories);
  });
  return { version: 1, rows, features };
}

function numericProfile(name: string, raw: ArrayLike<unknown>, sampleSize: number, bins: number): NumericProfile {
  const { values, missing } = numericValues(name, raw, 'reference');
  const n = values.length;
  if (n === 0) throw new ValidationError(`buildProfile: reference column '${name}' has no values; drop it from the monitored features`);
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const edges = psiEdges(sorted);
  const complete = n <= sampleSize;
  const sample = complete ? Array.from(sorted) : Array.from({ length: sampleSize }, (_, i) => sorted[Math.floor(((i + 0.5) * n) / sampleSize)]);
  return {
    name,
    kind: 'numeric',
    count: n,
    missingShare: missing / raw.length,
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    std: Math.sqrt(ss / n),
    sample,
    sampleIsComplete: complete,
    psiEdges: edges,
    psiShares: binCounts(sorted, edges).map((c) => c / n),
    histogram: histogram(sorted, bins),
  };
}

function histogram(sorted: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (lo === hi) return { edges: [lo, hi], counts: [sorted.length] };
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges, counts };
}

function categoricalProfile(name: string, raw: ArrayLike<unknown>, maxCategories: number): CategoricalProfile {
  const { counts, present, missing } = categoryCounts(name, raw, 'reference');
  if (present === 0) throw new ValidationError(`buildProfile: reference column '${name}' has no values; drop it from the monitored features`);
  // Most frequent first, ties by name, so the kept set never depends on row order.
  const keys = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0));
  const shares: Record<string, number> = Object.create(null);
  let kept = 0;
  for (const key of keys.slice(0, maxCategories)) {
    shares[key] = counts[key] / present;
    kept += counts[key];
  }
  return { name, kind: 'categorical', count: present, missingShare: missing / raw.length, shares, otherShare: (present - kept) / present };
}
