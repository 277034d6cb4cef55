import { defineTask, Json, Metrics, DataError, Table, Type } from '../../core/index.ts';
import { Problem } from '../kinds.ts';
import { scoreRegression } from './_score-regression.ts';

/**
 * Scores a regressor's predictions (`predicted`, `actual`: numbers) against a baseline predicting the
 * train target's mean. `metrics`: mae, rmse, r2, mape (a fraction; rows with actual 0 skipped), each
 * also as `baseline_<metric>`. `details`: up to 2000 predicted-vs-actual pairs, for evaluators/report.
 * @example
 * const scored = b.add('score', regression, { predictions: pred.predictions, train: split.train, problem: p.problem });
 */
export const regression = defineTask({
  name: 'evaluators/regression',
  version: 1,
  params: Type.Object({}),
  inputs: { predictions: Table, train: Table, problem: Problem },
  outputs: { metrics: Metrics, details: Json },
  run({ predictions, train, problem }, _params, ctx) {
    if (problem.task !== 'regression') {
      throw new DataError(`evaluators/regression: the problem is '${problem.task}' classification; use evaluators/classification or evaluators/evaluate`);
    }
    const out = scoreRegression(predictions, train, problem);
    const skipped = out.details.mapeSkippedZeroActuals as number;
    if (skipped > 0) ctx.log.info(`mape: skipped ${skipped} row(s) whose actual value is 0`);
    return out;
  },
});
