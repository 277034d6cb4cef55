import type { ColumnTable } from 'arquero';
import { columnValues } from '../data-table.ts';
import { INVALID_REASON_COLUMN, type Bundle } from '../exporters/bundle-io.ts';

/**
 * The model's outputs per row, without the input columns predictRows keeps beside them: `predicted`,
 * `prob_<class>` for each class the model knows, and `invalid_reason` when rows were kept unpredicted.
 * Named from the model, not by prefix, so an input column called `prob_x` is never taken for an output.
 * @example
 * predictionColumns(result.predictions, bundle); // [{ predicted: 'Adelie', prob_Adelie: 0.97, … }]
 */
export function predictionColumns(predictions: ColumnTable, bundle: Pick<Bundle, 'model'>): Array<Record<string, unknown>> {
  const have = new Set(predictions.columnNames());
  const names = ['predicted', ...(bundle.model.classes ?? []).map((c) => `prob_${c}`), INVALID_REASON_COLUMN].filter((n) => have.has(n));
  const columns = names.map((n) => columnValues(predictions, n));
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < predictions.numRows(); i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, j) => (row[n] = columns[j]![i]));
    rows.push(row);
  }
  return rows;
}
