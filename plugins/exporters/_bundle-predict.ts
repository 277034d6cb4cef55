import type { ColumnTable } from 'arquero';
import { predictTable } from '../algorithms/predict-table.ts';
import { applyTransform } from '../transformers/steps.ts';
import type { Bundle } from './_bundle-load.ts';
import { checkFeatures, type InputRows } from './_feature-check.ts';

/**
 * Predicts new rows with a loaded bundle, the way the training DAG saw its test split: check the
 * rows against the feature schema (missing column or wrong type → one error listing them),
 * apply the fitted preprocessing unchanged, then run the model. Returns the input rows with
 * `predicted` (and `prob_<class>` for classifiers) appended; the input's other columns are kept
 * so each prediction stays next to the row it is for.
 * @example
 * const bundle = await loadBundle('bundles/penguins');
 * const out = await predictBundle(bundle, [{ 'Bill Length (mm)': 39.1, Island: 'Torgersen', … }]);
 * out.objects()[0].predicted // 'Adelie'
 */
export async function predictBundle(bundle: Bundle, rows: InputRows): Promise<ColumnTable> {
  const input = checkFeatures(rows, bundle.manifest.features);
  // The target is never a model input; dropping it keeps a labelled file from leaking into preprocessing.
  const target = bundle.manifest.problem.target;
  const features = input.columnNames().includes(target) ? input.select(input.columnNames().filter((c) => c !== target)) : input;
  const prepared = applyTransform(features, bundle.transform);
  const predictions = await predictTable(bundle.model, prepared);
  const outputs = predictions.columnNames().filter((c) => c !== 'actual');
  return input.assign(predictions.select(outputs));
}
