import { defineTask, Json, Metrics, DataError, Table, Type } from '../../core/index.ts';
import { Problem } from '../kinds.ts';
import { scoreClassification } from './_score-classification.ts';

/**
 * Scores a classifier's predictions (`predicted`, `prob_<class>`, `actual`) against a majority-class
 * baseline fitted on the train table's target. `metrics`: accuracy, balanced_accuracy, f1_macro,
 * precision_macro, recall_macro, roc_auc (binary: of `problem.positiveClass`; multiclass: one-vs-rest
 * macro), log_loss, each also as `baseline_<metric>`. `details`: confusion matrix, per-class scores,
 * ROC points, for evaluators/report.
 * @example
 * const scored = b.add('score', classification, { predictions: pred.predictions, train: split.train, problem: p.problem });
 */
export const classification = defineTask({
  name: 'evaluators/classification',
  version: 1,
  params: Type.Object({}),
  inputs: { predictions: Table, train: Table, problem: Problem },
  outputs: { metrics: Metrics, details: Json },
  run({ predictions, train, problem }) {
    if (problem.task === 'regression') {
      throw new DataError(`evaluators/classification: the problem is a regression; use evaluators/regression or evaluators/evaluate`);
    }
    return scoreClassification(predictions, train, problem);
  },
});
