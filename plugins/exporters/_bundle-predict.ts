import { from, table as makeTable, type ColumnTable } from 'arquero';
import { predictTable } from '../algorithms/predict-table.ts';
import { columnValues, pickRows } from '../data-table.ts';
import { applyTransform } from '../transformers/steps.ts';
import type { Bundle } from './_bundle-load.ts';
import { checkInputRows, type CheckInputOptions, type InputRows, type InvalidRow } from './input-check.ts';

/** Name of the column `onInvalid: 'null'` adds: why a row was not predicted (null on predicted rows). */
export const INVALID_REASON_COLUMN = 'invalid_reason';

/** What {@link predictRows} returns. */
export interface PredictRowsResult {
  /**
   * The input rows as read, with `predicted` (and `prob_<class>`) appended. 'error' and 'skip': the
   * valid rows only. 'null': every row; invalid ones have empty predictions and `invalid_reason`.
   */
  predictions: ColumnTable;
  invalid: InvalidRow[];
  /** How many rows the model predicted. */
  predicted: number;
  notes: string[];
}

/**
 * Predicts new rows with a loaded bundle, the way the training DAG saw its test split: check the rows
 * against the bundle's input contract (checkInputRows; `onInvalid` says what happens to rows unlike
 * the training data), apply the fitted preprocessing unchanged, run the model on the valid rows only.
 * The input's other columns are kept so each prediction stays next to the row it is for.
 * @example
 * const { predictions, invalid } = await predictRows(bundle, table, { onInvalid: 'skip', lineOf });
 */
export async function predictRows(bundle: Bundle, rows: InputRows, options: CheckInputOptions = {}): Promise<PredictRowsResult> {
  const original = Array.isArray(rows) ? from(rows) : rows;
  const checked = checkInputRows(original, bundle.manifest, options);
  // The target is never a model input; dropping it keeps a labelled file from leaking into preprocessing.
  const target = bundle.manifest.problem.target;
  const input = checked.table;
  const features = input.columnNames().includes(target) ? input.select(input.columnNames().filter((c) => c !== target)) : input;
  const made = await predictTable(bundle.model, applyTransform(features, bundle.transform));
  const outputs = made.select(made.columnNames().filter((c) => c !== 'actual'));
  const base = { invalid: checked.invalid, predicted: checked.kept.length, notes: checked.notes };
  if (options.onInvalid !== 'null') {
    const kept = checked.kept.length === original.numRows() ? original : pickRows(original, checked.kept);
    return { ...base, predictions: kept.assign(outputs) };
  }
  return { ...base, predictions: original.assign(spread(outputs, checked.kept, original.numRows(), checked.invalid)) };
}

/**
 * {@link predictRows} returning the table only; invalid rows fail (DataError) unless `options` says otherwise.
 * @example
 * const bundle = await loadBundle('bundles/penguins');
 * const out = await predictBundle(bundle, [{ 'Beak Length (mm)': 39.1, Island: 'Torgersen', … }]);
 * out.objects()[0].predicted // 'Adelie'
 */
export async function predictBundle(bundle: Bundle, rows: InputRows, options: CheckInputOptions = {}): Promise<ColumnTable> {
  return (await predictRows(bundle, rows, options)).predictions;
}

/** Prediction columns over all `n` input rows: values at the kept rows, null elsewhere, plus the reason column. */
function spread(outputs: ColumnTable, kept: number[], n: number, invalid: InvalidRow[]): ColumnTable {
  const columns: Record<string, unknown[]> = {};
  for (const name of outputs.columnNames()) {
    const values = columnValues(outputs, name);
    const full = new Array<unknown>(n).fill(null);
    kept.forEach((row, k) => (full[row] = values[k]));
    columns[name] = full;
  }
  const reasons = new Array<string | null>(n).fill(null);
  for (const i of invalid) reasons[i.row - 1] = i.reasons.join('; ');
  columns[INVALID_REASON_COLUMN] = reasons;
  return makeTable(columns, [...outputs.columnNames(), INVALID_REASON_COLUMN]);
}
