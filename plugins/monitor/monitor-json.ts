/**
 * The JSON form of a monitor report (`mlcycle monitor --json`): one object, stable field names,
 * numbers that are not finite (a test that could not run) as null, so any JSON reader takes it.
 */
import type { FeatureDrift } from './drift-tests.ts';
import type { MonitorReport, Performance } from './monitor-model.ts';

/** One feature's verdict in the JSON report. */
export interface FeatureJson {
  name: string;
  kind: FeatureDrift['kind'];
  test: FeatureDrift['test'];
  statistic: number | null;
  /** The p-value (ks, chi-squared) or null. */
  pValue: number | null;
  /** The distance (wasserstein, jensen-shannon) or null. */
  distance: number | null;
  /** The threshold the score was held to (`pValue <` it, or `distance >=` it). */
  threshold: number;
  drifted: boolean;
  psi: number | null;
  referenceCount: number;
  currentCount: number;
  missing: FeatureDrift['missing'];
  outOfRange: FeatureDrift['outOfRange'] | null;
  newCategories: Record<string, number> | null;
}

/** `mlcycle monitor --json`. */
export interface MonitorJson {
  model: string;
  uri: string;
  version: number | null;
  rows: number;
  drift: { dataset: boolean; share: number; drifted: number; features: FeatureJson[]; thresholds: MonitorReport['drift']['thresholds']; skipped: MonitorReport['skipped'] };
  prediction: { source: 'model' | 'log'; predicted: number; notPredicted: number; countsTowardDatasetDrift: false; drift: FeatureJson | null };
  target: FeatureJson | null;
  performance: Performance | null;
  notes: string[];
}

/**
 * The report as the JSON object `--json` prints.
 * @example
 * process.stdout.write(`${JSON.stringify(monitorReportJson(report), null, 2)}\n`);
 */
export function monitorReportJson(report: MonitorReport): MonitorJson {
  const t = report.drift.thresholds;
  return {
    model: report.model.name,
    uri: report.model.uri,
    version: report.model.version,
    rows: report.rows,
    drift: {
      dataset: report.drift.datasetDrift,
      share: report.drift.driftedShare,
      drifted: report.drift.driftedFeatures,
      features: report.drift.features.map((f) => featureJson(f, t)),
      thresholds: t,
      skipped: report.skipped,
    },
    prediction: { ...report.prediction, countsTowardDatasetDrift: false, drift: report.prediction.drift && featureJson(report.prediction.drift, t) },
    target: report.target && featureJson(report.target, t),
    performance: report.performance,
    notes: report.notes,
  };
}

/**
 * One feature's drift in JSON form.
 * @example
 * featureJson(report.drift.features[0], report.drift.thresholds).pValue
 */
export function featureJson(f: FeatureDrift, t: { pValue: number; distance: number }): FeatureJson {
  const isP = f.test === 'ks' || f.test === 'chi-squared';
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    name: f.name,
    kind: f.kind,
    test: f.test,
    statistic: finite(f.statistic),
    pValue: isP ? finite(f.score) : null,
    distance: f.test === 'wasserstein' || f.test === 'jensen-shannon' ? finite(f.score) : null,
    threshold: isP || f.test === 'none' ? t.pValue : t.distance,
    drifted: f.drifted,
    psi: finite(f.psi),
    referenceCount: f.referenceCount,
    currentCount: f.currentCount,
    missing: f.missing,
    outOfRange: f.outOfRange ?? null,
    newCategories: f.newCategories ?? null,
  };
}
