import { defineTask, Table, Type } from '../../core/index.ts';
import { Model } from '../kinds.ts';
import { predictTable } from './predict-table.ts';

/**
 * Predicts a table with any trained model (tfjs or ml.js): `predicted`, `prob_<class>` for
 * classifiers, and `actual` when the table has the target column.
 * @example
 * const { predictions } = b.add('predict', predict, { model: fit.model, table: split.test }, {});
 */
export const predict = defineTask({
  name: 'algorithms/predict',
  version: 1,
  // Prediction can be the costly half (k-NN searches every training row): in the worker pool, the
  // folds of a cross-validation predict side by side instead of one after another on the main thread.
  isolation: 'worker',
  params: Type.Object({}),
  inputs: { model: Model, table: Table },
  outputs: { predictions: Table },
  async run({ model, table }, _params, ctx) {
    return { predictions: await predictTable(model, table, { signal: ctx.signal }) };
  },
});
