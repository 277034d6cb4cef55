import type { ColumnTable } from 'arquero';
import { predictTable } from '../algorithms/predict-table.ts';
import { columnValues, pickRows } from '../data-table.ts';
import type { ColumnSchema, ModelSpec, ProblemSpec, TransformSpec } from '../kinds.ts';
import { buildBundleProfile, type BundleProfile } from '../monitor/bundle-profile.ts';
import { applyTransform } from '../transformers/steps.ts';

/**
 * Rows the model predicts for the prediction profile. Past this an even subsample is predicted: the
 * profile keeps at most 1,000 values anyway, and the export must not cost a second pass over a
 * million rows. Above 1,000 either way, so monitoring picks the same (distance) tests.
 */
export const MAX_PREDICTED_ROWS = 20_000;

/**
 * The reference profile of a bundle from the training rows before preprocessing: the features (kinds
 * from the schema), the target when present, and the model's predictions on those rows made exactly
 * as predict makes them (the fitted transform, then the model).
 * @example
 * const profile = await referenceProfile({ reference: train, features, model, transform, problem });
 */
export async function referenceProfile(input: {
  reference: ColumnTable;
  features: readonly ColumnSchema[];
  model: ModelSpec;
  transform: TransformSpec;
  problem: ProblemSpec;
  signal?: AbortSignal;
}): Promise<BundleProfile> {
  const { reference, features, model, transform, problem } = input;
  const columns: Record<string, unknown[]> = {};
  const names = new Set(reference.columnNames());
  for (const f of [...features.map((c) => c.name), problem.target]) if (names.has(f)) columns[f] = columnValues(reference, f);
  // Checked before predicting, so a wrongly wired table fails with the profile's message (which column is missing).
  const draft = () => buildBundleProfile({ columns, features, problem, predictions: null });
  const n = reference.numRows();
  if (features.some((f) => !names.has(f.name)) || n === 0) return draft();
  const rows = n <= MAX_PREDICTED_ROWS ? reference : pickRows(reference, Array.from({ length: MAX_PREDICTED_ROWS }, (_, i) => Math.floor(((i + 0.5) * n) / MAX_PREDICTED_ROWS)));
  const inputs = rows.columnNames().includes(problem.target) ? rows.select(rows.columnNames().filter((c) => c !== problem.target)) : rows;
  const made = await predictTable(model, applyTransform(inputs, transform), { signal: input.signal });
  return buildBundleProfile({ columns, features, problem, predictions: columnValues(made, 'predicted') });
}
