/**
 * Monitoring a model on new rows: everything `mlcycle monitor` reports, as a function a retrain loop
 * or a drift-check task can call too. The CLI only reads the input and prints this report.
 */
import type { ColumnTable } from 'arquero';
import { ValidationError } from '../../core/errors.ts';
import { predictRows, type Bundle } from '../exporters/bundle-io.ts';
import { PREDICTION_FEATURE, type BundleProfile } from './bundle-profile.ts';
import { detectDrift, type DriftOptions, type DriftReport } from './dataset-drift.ts';
import type { FeatureDrift } from './drift-tests.ts';
import { distribution, type Distribution } from './_distributions.ts';
import { requireFeatures, scoreLabelled, tableOfRows, type Performance } from './_monitor-parts.ts';

export type { Performance } from './_monitor-parts.ts';
export type { Distribution } from './_distributions.ts';

/** The model being monitored: a LoadedModel (plugins/serving/load-model.ts) fits, so does a bare bundle wrapped. */
export interface MonitoredModel {
  uri: string;
  name: string;
  /** The registry version; null for a bundle folder. */
  version: number | null;
  bundle: Bundle;
}

/** Options of {@link monitorModel}: detectDrift's thresholds plus where predictions come from. */
export interface MonitorOptions extends DriftOptions {
  /**
   * Predictions already made for these rows, one per row (a prediction log): compared to the
   * profile's prediction distribution instead of predicting the rows again. Performance is then null.
   */
  predictions?: readonly unknown[];
  /** How far past the training range a number may be before its row is not predicted (predict's --range-tolerance). */
  rangeTolerance?: number;
}

/** The prediction distribution against the training one: reported, never counted toward dataset drift. */
export interface PredictionReport {
  source: 'model' | 'log';
  /** Rows with a prediction (the rest were outside the input contract, or had none logged). */
  predicted: number;
  notPredicted: number;
  /** null when the bundle profiled no predictions. */
  drift: FeatureDrift | null;
}

/** What {@link monitorModel} returns. */
export interface MonitorReport {
  model: { uri: string; name: string; version: number | null; algorithm: string; task: string; target: string };
  rows: number;
  /** The features' drift and the dataset verdict. */
  drift: DriftReport;
  /** Features the profile does not monitor, and why. */
  skipped: BundleProfile['skipped'];
  prediction: PredictionReport;
  /** The target's distribution against training, when the rows are labelled (reported, not counted). */
  target: FeatureDrift | null;
  /** Scores on the labelled rows next to the bundle's own metrics; null without labels. */
  performance: Performance | null;
  /** Reference against current shares per feature, prediction and label: what reports draw (bounded: 20 bins or 30 categories each). */
  distributions: { features: Distribution[]; prediction: Distribution | null; target: Distribution | null };
  /** Things the reader should know (rows not predicted, a label set the scorer refused). */
  notes: string[];
}

/** The sentence for a bundle without reference-profile.json (exported before profiles existed). */
export const NO_PROFILE_HINT = 'this bundle has no reference profile; re-export it (re-run its DAG with this mlcycle) to monitor it';

/**
 * Tests new rows against the bundle's reference profile: per-feature drift and the dataset verdict
 * (detectDrift), the predictions' distribution against training's (the model predicts the rows, or
 * `options.predictions` are used), the label distribution and the model's scores when the rows
 * carry the target. Throws ValidationError for a bundle without profile, DataError for rows lacking
 * a monitored feature (naming it and the columns there are) or holding values of the wrong type.
 * @example
 * const model = await loadModel('models:/penguins@champion');
 * const report = await monitorModel(model, rows, { pValue: 0.01 });
 * if (report.drift.datasetDrift) console.log(report.drift.features.filter((f) => f.drifted).map((f) => f.name));
 */
export async function monitorModel(model: MonitoredModel, rows: ColumnTable | readonly Record<string, unknown>[], options: MonitorOptions = {}): Promise<MonitorReport> {
  const { bundle } = model;
  const profile = bundle.referenceProfile;
  if (!profile) throw new ValidationError(`monitor: ${model.uri}: ${NO_PROFILE_HINT}`);
  const { predictions: given, rangeTolerance, ...driftOptions } = options;
  const table = Array.isArray(rows) ? tableOfRows(rows) : (rows as ColumnTable);
  const n = table.numRows();
  if (given !== undefined && given.length !== n) throw new ValidationError(`monitor: ${given.length} predictions were given for ${n} rows`);
  requireFeatures(table, profile.features.features.map((f) => f.name), model.name);
  const columns = (names: string[]) => Object.fromEntries(names.map((c) => [c, table.array(c) as ArrayLike<unknown>]));
  const drift = detectDrift(profile.features, columns(profile.features.features.map((f) => f.name)), driftOptions);
  const { problem } = bundle.manifest;
  const notes: string[] = [];
  const labelled = table.columnNames().includes(problem.target) && given === undefined;

  let predicted: unknown[];
  let performance: Performance | null = null;
  if (given !== undefined) {
    predicted = given.filter((v) => v !== null && v !== undefined);
  } else {
    const made = await predictRows(bundle, table, { onInvalid: 'null', rangeTolerance });
    // Rows outside the input contract come back with a null prediction: they are counted, not compared.
    predicted = Array.from(made.predictions.array('predicted') as ArrayLike<unknown>).filter((v) => v !== null && v !== undefined);
    notes.push(...made.notes);
    if (made.invalid.length) {
      notes.push(`${made.invalid.length} of ${n} row(s) are outside what the model saw in training (a new category, a value far out of range, a blank it cannot fill) and were not predicted; \`mlcycle predict --on-invalid null\` lists why`);
    }
    if (labelled) performance = scoreLabelled(made.predictions, problem, bundle.manifest.metrics, notes);
  }
  const predictionDrift = profile.prediction ? detectDrift(profile.prediction, { [PREDICTION_FEATURE]: predicted }, driftOptions).features[0]! : null;
  if (!profile.prediction) notes.push('the reference profile has no prediction distribution; prediction drift is not reported');
  const target = labelled && profile.target ? detectDrift(profile.target, columns([problem.target]), driftOptions).features[0]! : null;
  const distributions = {
    features: profile.features.features.map((f) => distribution(f, table.array(f.name) as ArrayLike<unknown>)),
    prediction: profile.prediction ? distribution(profile.prediction.features[0]!, predicted) : null,
    target: target && profile.target ? distribution(profile.target.features[0]!, table.array(problem.target) as ArrayLike<unknown>) : null,
  };
  return {
    model: { uri: model.uri, name: model.name, version: model.version, algorithm: bundle.manifest.model.algorithm, task: problem.task, target: problem.target },
    rows: n,
    drift,
    skipped: profile.skipped,
    prediction: { source: given === undefined ? 'model' : 'log', predicted: predicted.length, notPredicted: n - predicted.length, drift: predictionDrift },
    target,
    performance,
    distributions,
    notes,
  };
}
