import { defineTask, Json, Metrics, Table, Type } from '../../core/index.ts';
import { Problem } from '../kinds.ts';
import { scoreClassification } from './_score-classification.ts';
import { scoreRegression } from './_score-regression.ts';

/**
 * Scores predictions the way `problem.task` asks: evaluators/classification for binary and multiclass
 * problems, evaluators/regression for regression. This is the evaluator DAGs use, so one DAG shape
 * serves every problem.
 * @example
 * const { metrics, details } = b.add('evaluate', evaluate, { predictions: pred.predictions, train: split.train, problem: p.problem });
 */
export const evaluate = defineTask({
  name: 'evaluators/evaluate',
  version: 1,
  // Whole-table work that one fold branch of a cross-validation does: in the worker pool, the folds
  // run side by side instead of queueing on the main thread (2x on 100k-row tables).
  isolation: 'worker',
  params: Type.Object({}),
  inputs: { predictions: Table, train: Table, problem: Problem },
  outputs: { metrics: Metrics, details: Json },
  run({ predictions, train, problem }, _params, ctx) {
    if (problem.task !== 'regression') return scoreClassification(predictions, train, problem);
    const out = scoreRegression(predictions, train, problem);
    const skipped = out.details.mapeSkippedZeroActuals as number;
    if (skipped > 0) ctx.log.info(`mape: skipped ${skipped} row(s) whose actual value is 0`);
    return out;
  },
});
