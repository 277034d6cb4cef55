import type { ColumnTable } from 'arquero';
import type { MetricValues } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { capEvenly, finiteOnly, numericColumn } from './_predictions.ts';
import { mae, mape, mean, r2, rmse } from './_regression.ts';

const WHERE = 'evaluators/regression';

/** How many predicted-vs-actual pairs `details` keeps for the report's scatter plot. */
export const MAX_PAIRS = 2000;

/**
 * Scores a regressor's predictions table and a baseline that always predicts the train target's
 * mean (scikit-learn's `DummyRegressor(strategy='mean')`), scored on the same `actual` values.
 * Its R² is near 0, and below 0 when the test mean differs from the train mean.
 * @example
 * const { metrics, details } = scoreRegression(predictions, train, problem);
 */
export function scoreRegression(
  predictions: ColumnTable,
  train: ColumnTable,
  problem: ProblemSpec,
): { metrics: MetricValues; details: Record<string, unknown> } {
  const actual = numericColumn(predictions, 'actual', WHERE);
  const predicted = numericColumn(predictions, 'predicted', WHERE);
  const trainMean = mean(numericColumn(train, problem.target, `${WHERE} (train table)`));
  const baselinePredicted = actual.map(() => trainMean);

  const model = scores(actual, predicted);
  const baseline = scores(actual, baselinePredicted);
  const metrics: MetricValues = finiteOnly(model.metrics);
  for (const [k, v] of Object.entries(finiteOnly(baseline.metrics))) metrics[`baseline_${k}`] = v;

  const pairs = capEvenly(actual.map((a, i) => ({ actual: a, predicted: predicted[i]! })), MAX_PAIRS);
  return {
    metrics,
    details: {
      task: 'regression',
      rows: actual.length,
      pairs,
      pairsCapped: actual.length > MAX_PAIRS,
      mapeSkippedZeroActuals: model.mapeSkipped,
      baseline: { strategy: 'mean of the train target', value: trainMean },
    },
  };
}

/**
 * The model's own metrics (no baseline) from a predictions table (`actual`, `predicted`): the numbers
 * scoreRegression reports for the model, for callers that compare models on one table.
 * @example
 * regressionMetrics(predictions).rmse // 3.2
 */
export function regressionMetrics(predictions: ColumnTable): MetricValues {
  return finiteOnly(scores(numericColumn(predictions, 'actual', WHERE), numericColumn(predictions, 'predicted', WHERE)).metrics);
}

function scores(actual: number[], p: number[]): { metrics: Record<string, number>; mapeSkipped: number } {
  const m = mape(actual, p);
  return { metrics: { mae: mae(actual, p), rmse: rmse(actual, p), r2: r2(actual, p), mape: m.value }, mapeSkipped: m.skipped };
}
