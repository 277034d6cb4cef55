import { table as columnTable, type ColumnTable } from 'arquero';
import type { ModelSpec } from '../kinds.ts';
import { featureMatrix } from './_features.ts';
import { predictClassical, type Prediction } from './_predict-classical.ts';
import { predictTfjs } from './_predict-tfjs.ts';

/**
 * Predicts every row of `table` with a trained model. The result has `predicted` (the class label
 * for classifiers, the value for regression), `prob_<class>` per class for classifiers, and
 * `actual` when the table has the target column. Extra columns in `table` are ignored; missing
 * feature columns fail with their names.
 * @example
 * const out = await predictTable(model, test);
 * out.objects()[0]; // { predicted: 'setosa', prob_setosa: 0.98, prob_versicolor: 0.02, prob_virginica: 0, actual: 'setosa' }
 */
export async function predictTable(model: ModelSpec, table: ColumnTable): Promise<ColumnTable> {
  const x = featureMatrix(table, model.features);
  const result: Prediction =
    x.length === 0 ? { values: [], probs: [] } : model.tfjs ? await predictTfjs(model, x) : predictClassical(model, x);
  const columns: Record<string, unknown[]> = {};
  if (model.task === 'regression') {
    columns.predicted = result.values!;
  } else {
    const classes = model.classes!;
    const probs = result.probs!;
    columns.predicted = probs.map((p) => classes[argmax(p)]);
    classes.forEach((c, j) => (columns[`prob_${c}`] = probs.map((p) => p[j])));
  }
  if (table.columnNames().includes(model.target)) {
    const actual = Array.from(table.array(model.target) as ArrayLike<unknown>);
    columns.actual = model.task === 'regression' ? actual : actual.map((v) => (v === null || v === undefined ? null : String(v)));
  }
  return columnTable(columns) as ColumnTable;
}

/** The first largest entry, so ties resolve to the earlier (sorted) class, the same on every run. */
function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
