import { table as columnTable, type ColumnTable } from 'arquero';
import { DataError, NonRetryableError } from '../../core/index.ts';
import type { ModelSpec } from '../kinds.ts';
import { dense, type Dense } from './_dense.ts';
import { featureDense } from './_features.ts';
import type { Prediction } from './define-algorithm.ts';
import { algorithmForModel } from './registry.ts';

/**
 * Predicts every row of `table` with a trained model, through the predictor of the algorithm that
 * trained it (registry.ts). The result has `predicted` (the class label for classifiers, the value
 * for regression), `prob_<class>` per class for classifiers, and `actual` when the table has the
 * target column. Extra columns in `table` are ignored; missing feature columns fail with their names.
 * A model that predicts a non-finite value fails rather than pass it on.
 * @example
 * const out = await predictTable(model, test);
 * out.objects()[0]; // { predicted: 'setosa', prob_setosa: 0.98, prob_versicolor: 0.02, prob_virginica: 0, actual: 'setosa' }
 */
export async function predictTable(model: ModelSpec, table: ColumnTable, options: { signal?: AbortSignal } = {}): Promise<ColumnTable> {
  refuseRetiredFormat(model);
  const columns: Record<string, ArrayLike<unknown>> = await predictDense(model, featureDense(table, model.features), options);
  if (table.columnNames().includes(model.target)) {
    const actual = Array.from(table.array(model.target) as ArrayLike<unknown>);
    columns.actual = model.task === 'regression' ? actual : actual.map((v) => (v === null || v === undefined ? null : String(v)));
  }
  return columnTable(columns) as ColumnTable;
}

/**
 * {@link predictTable} on a feature matrix already in `model.features` order (what featureDense
 * makes): the prediction columns by name, `predicted` and, for classifiers, `prob_<class>`.
 * @example
 * const { predicted } = await predictDense(model, featureDense(table, model.features));
 */
export async function predictDense(model: ModelSpec, x: Dense, options: { signal?: AbortSignal } = {}): Promise<Record<string, ArrayLike<unknown>>> {
  refuseRetiredFormat(model);
  const n = x.rows;
  const k = model.classes?.length ?? 0;
  const regression = model.task === 'regression';
  const result: Prediction =
    n === 0 ? (regression ? { values: new Float64Array(0) } : { probs: dense(0, k) })
    // TensorFlow.js loads (a second or more) only for a model that needs it.
    : model.tfjs ? await (await import('./_predict-tfjs.ts')).predictTfjs(model, x)
    : await algorithmForModel(model).predict(model, x, options);
  const columns: Record<string, ArrayLike<unknown>> = {};
  if (regression) {
    const values = result.values;
    if (!values || values.length !== n) throw new DataError(`${model.algorithm}: predictor returned ${values?.length ?? 'no'} values for ${n} rows`);
    checkFinite(model, values);
    columns.predicted = values;
  } else {
    const probs = result.probs;
    if (!probs || probs.rows !== n || probs.cols !== k) {
      throw new DataError(`${model.algorithm}: predictor returned ${probs ? `${probs.rows}×${probs.cols}` : 'no'} probabilities for ${n} rows × ${k} classes`);
    }
    checkFinite(model, probs.data);
    const classes = model.classes!;
    columns.predicted = Array.from({ length: n }, (_, i) => classes[argmax(probs.data, i * k, k)]);
    classes.forEach((c, j) => (columns[`prob_${c}`] = Float64Array.from({ length: n }, (_, i) => probs.data[i * k + j])));
  }
  return columns;
}

/**
 * Models saved as ml.js JSON (k-NN and naive Bayes before mlcycle fitted its own) are not read any
 * more: say so and how to get a current one, rather than fail somewhere inside a predictor.
 */
function refuseRetiredFormat(model: ModelSpec): void {
  if (model.info?.library === 'ml.js') {
    throw new NonRetryableError(
      `${model.algorithm}: this model was saved as ml.js JSON, a format mlcycle no longer reads; re-run the DAG that trained it to train and export it again`,
    );
  }
}

function checkFinite(model: ModelSpec, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DataError(`${model.algorithm}: the model predicted ${values[i]} (a non-finite value); its training diverged: retrain with other params (a smaller learning rate, a stronger penalty)`);
    }
  }
}

/** The first largest entry of row [at, at + k), so ties resolve to the earlier (sorted) class, the same on every run. */
function argmax(values: Float64Array, at: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (values[at + j] > values[at + best]) best = j;
  return best;
}
