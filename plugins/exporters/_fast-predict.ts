import { from } from 'arquero';
import { predictDense } from '../algorithms/predict-table.ts';
import { columnValues } from '../data-table.ts';
import { denseOf, transformColumns } from '../transformers/columns-transform.ts';
import type { Bundle } from './_bundle-load.ts';
import { INVALID_REASON_COLUMN } from './_bundle-predict.ts';
import { checkInputColumns, type CheckInputOptions } from './input-check.ts';

/**
 * What `predictionColumns(predictRows(bundle, rows, options).predictions, bundle)` returns (one object
 * per row: `predicted`, `prob_<class>`, and `invalid_reason` with `onInvalid: 'null'`), without an
 * arquero table per preprocessing step: the rows are checked by the same checks (checkInputColumns), then the
 * Transform runs on column arrays (transformers/columns-transform.ts) and the model on the matrix.
 * A model server's single-row request costs a fraction of the table path this way. Resolves to
 * undefined when the input is not the ordinary case; the caller then takes the table path, which
 * gives the canonical result or error. test/plugins/fast-predict.test.ts proves the two agree.
 * @example
 * const out = (await predictRowsFast(bundle, [row], { onInvalid: 'null' })) ?? slowPath();
 */
export async function predictRowsFast(bundle: Bundle, rows: Array<Record<string, unknown>>, options: CheckInputOptions = {}): Promise<Array<Record<string, unknown>> | undefined> {
  const original = from(rows);
  const checked = checkInputColumns(original, bundle.manifest, options);
  const target = bundle.manifest.problem.target;
  const names = original.columnNames().filter((c) => c !== target);
  const all = checked.kept.length === original.numRows();
  const values = new Map<string, unknown[]>();
  for (const name of names) {
    // The checked table's column: retyped if checking retyped it, else as it came; the kept rows only.
    const column = Object.hasOwn(checked.fixed, name) ? checked.fixed[name]! : columnValues(original, name);
    values.set(name, all ? column : checked.kept.map((r) => column[r]));
  }
  const model = bundle.model;
  const transformed = transformColumns({ names, values }, bundle.transform);
  const n = checked.kept.length;
  const x = transformed && denseOf(transformed, model.features, n);
  if (!x) return undefined;
  let made: Record<string, ArrayLike<unknown>>;
  try {
    made = await predictDense(model, { rows: n, cols: model.features.length, data: x });
  } catch {
    return undefined; // the table path says what went wrong, in its words
  }
  const outputs = ['predicted', ...(model.classes ?? []).map((c) => `prob_${c}`)].filter((c) => Object.hasOwn(made, c));
  const spread = options.onInvalid === 'null';
  const total = spread ? original.numRows() : n;
  const at = spread ? new Int32Array(total).fill(-1) : undefined;
  if (at) checked.kept.forEach((row, k) => (at[row] = k));
  const reasons = new Map(checked.invalid.map((i) => [i.row - 1, i.reasons.join('; ')]));
  const result: Array<Record<string, unknown>> = [];
  for (let r = 0; r < total; r++) {
    const k = at ? at[r]! : r;
    const row: Record<string, unknown> = {};
    for (const name of outputs) row[name] = k < 0 ? null : made[name]![k];
    if (spread) row[INVALID_REASON_COLUMN] = reasons.get(r) ?? null;
    result.push(row);
  }
  return result;
}
