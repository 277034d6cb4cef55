/**
 * Dataset drift: every profiled feature tested against the current data; the dataset has drifted
 * when at least half of its features have (Evidently's default share).
 */
import { DataError, ValidationError } from '../../core/errors.ts';
import { categoricalDrift, DEFAULT_THRESHOLDS, type DriftThresholds, type FeatureDrift, numericDrift } from './drift-tests.ts';
import type { ReferenceProfile } from './profile.ts';

export interface DriftOptions extends Partial<DriftThresholds> {
  /** Share of drifted features at or above which the dataset has drifted. Default 0.5. */
  datasetShare?: number;
}

export interface DriftReport {
  features: FeatureDrift[];
  driftedFeatures: number;
  driftedShare: number;
  datasetDrift: boolean;
  currentRows: number;
  thresholds: DriftThresholds & { datasetShare: number };
}

/**
 * Tests current data (columns by name) against a reference profile.
 * @example
 * const report = detectDrift(buildProfile(train), { bill: [41, 44, 39], island: ['Dream', 'Torgersen', 'Dream'] });
 * if (report.datasetDrift) process.exitCode = 3;
 */
export function detectDrift(profile: ReferenceProfile, current: Readonly<Record<string, ArrayLike<unknown>>>, options: DriftOptions = {}): DriftReport {
  const thresholds = { ...DEFAULT_THRESHOLDS, datasetShare: 0.5 };
  if (options.categoricalTest !== undefined) {
    if (options.categoricalTest !== 'goodness-of-fit' && options.categoricalTest !== 'homogeneity') {
      throw new ValidationError(`detectDrift: options.categoricalTest must be 'goodness-of-fit' or 'homogeneity', got ${String(options.categoricalTest)}`);
    }
    thresholds.categoricalTest = options.categoricalTest;
  }
  for (const key of Object.keys(thresholds) as (keyof typeof thresholds)[]) {
    if (key === 'categoricalTest' || !Object.hasOwn(options, key) || options[key] === undefined) continue;
    const v = options[key] as unknown as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValidationError(`detectDrift: options.${key} must be a finite number >= 0, got ${String(v)}`);
    (thresholds as Record<string, unknown>)[key] = v;
  }
  if (profile?.version !== 1 || !Array.isArray(profile.features)) {
    throw new ValidationError('detectDrift: the profile is not a version-1 reference profile; rebuild it with buildProfile');
  }
  let rows = -1;
  const features = profile.features.map((ref) => {
    if (!Object.hasOwn(current, ref.name)) {
      throw new DataError(`drift: the current data has no column '${ref.name}', which the reference profile monitors; add the column or rebuild the profile without it`);
    }
    const values = current[ref.name];
    if (rows >= 0 && values.length !== rows) throw new DataError(`drift: current column '${ref.name}' has ${values.length} values, the others have ${rows}`);
    rows = values.length;
    return ref.kind === 'numeric' ? numericDrift(ref, values, thresholds) : categoricalDrift(ref, values, thresholds);
  });
  const driftedFeatures = features.filter((f) => f.drifted).length;
  const driftedShare = features.length ? driftedFeatures / features.length : 0;
  return {
    features,
    driftedFeatures,
    driftedShare,
    datasetDrift: features.length > 0 && driftedShare >= thresholds.datasetShare,
    currentRows: Math.max(rows, 0),
    thresholds,
  };
}
