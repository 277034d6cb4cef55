/**
 * The evaluators' scoring as plain functions, for code that compares models outside an evaluate node
 * (the deploy/register gate scores a candidate and the champion on the same held-out rows): the same
 * metrics, computed by the same code, as evaluators/evaluate reports for the model.
 */
import type { ColumnTable } from 'arquero';
import { DataError, type MetricValues } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { classificationMetrics } from './_score-classification.ts';
import { regressionMetrics } from './_score-regression.ts';

/** Whether a larger value of a metric is better ('maximize') or worse ('minimize'). */
export type MetricDirection = 'maximize' | 'minimize';

/** Metrics where lower is better (errors and losses); every other metric the evaluators report is a score. */
const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'mape', 'log_loss']);

/**
 * The direction of a metric the evaluators report: errors and losses (rmse, mae, mape, log_loss) are
 * minimised; scores (accuracy, balanced_accuracy, f1_macro, precision_macro, recall_macro, roc_auc, r2)
 * maximised.
 * @example
 * metricDirection('log_loss'); // 'minimize'
 * metricDirection('accuracy'); // 'maximize'
 */
export function metricDirection(metric: string): MetricDirection {
  return LOWER_IS_BETTER.has(metric) ? 'minimize' : 'maximize';
}

/**
 * True when `a` is better than `b` by more than `margin` in the metric's direction.
 * @example
 * beats(0.98, 0.97, 0, 'maximize'); // true
 * beats(0.30, 0.25, 0, 'minimize'); // false
 */
export function beats(a: number, b: number, margin: number, direction: MetricDirection): boolean {
  return direction === 'maximize' ? a - b > margin : b - a > margin;
}

/**
 * The model's metrics on a predictions table (`actual`, `predicted`, and `prob_<class>` columns when the
 * classifier gives probabilities), scored for `problem.task` exactly as evaluators/evaluate scores them
 * (without its baseline).
 * @example
 * const metrics = scorePredictions(predictions, problem); // { accuracy: 0.97, f1_macro: 0.96, … }
 */
export function scorePredictions(predictions: ColumnTable, problem: ProblemSpec): MetricValues {
  return problem.task === 'regression' ? regressionMetrics(predictions) : classificationMetrics(predictions, problem);
}

/**
 * One metric of {@link scorePredictions}; a DataError when the predictions cannot give it (log_loss or
 * roc_auc without probabilities, a value that is not finite), naming the metrics they do give.
 * @example
 * scoreMetric(predictions, problem, 'accuracy'); // 0.97
 */
export function scoreMetric(predictions: ColumnTable, problem: ProblemSpec, metric: string): number {
  const metrics = scorePredictions(predictions, problem);
  const value = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DataError(`evaluators/score: metric '${metric}' cannot be computed from these predictions (they give: ${Object.keys(metrics).join(', ')})`);
  }
  return value;
}
