/**
 * Regression metrics as pure functions over plain number arrays, with scikit-learn's definitions
 * except for MAPE (see there). Every input must be finite: a NaN prediction is a DataError, not a
 * NaN metric that the report would silently leave out.
 */
import { requireFinite } from './_finite.ts';

function requirePair(actual: readonly number[], predicted: readonly number[], where: string): void {
  requireFinite(actual, 'actual', where);
  requireFinite(predicted, 'predicted', where);
}

/**
 * Mean absolute error.
 * @example
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.5
 */
export function mae(actual: readonly number[], predicted: readonly number[]): number {
  requirePair(actual, predicted, 'mae');
  return mean(actual.map((a, i) => Math.abs(a - predicted[i]!)));
}

/**
 * Root mean squared error.
 * @example
 * rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // sqrt(0.375)
 */
export function rmse(actual: readonly number[], predicted: readonly number[]): number {
  requirePair(actual, predicted, 'rmse');
  return Math.sqrt(mean(actual.map((a, i) => (a - predicted[i]!) ** 2)));
}

/**
 * Coefficient of determination, 1 − SS_res / SS_tot. When the actual values are constant
 * (SS_tot = 0) it is 1 for a perfect prediction and 0 otherwise, like scikit-learn's
 * `force_finite=True`.
 * @example
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.9486…
 */
export function r2(actual: readonly number[], predicted: readonly number[]): number {
  requirePair(actual, predicted, 'r2');
  if (actual.length === 0) return Number.NaN;
  const m = mean(actual);
  let ssRes = 0;
  let ssTot = 0;
  actual.forEach((a, i) => {
    ssRes += (a - predicted[i]!) ** 2;
    ssTot += (a - m) ** 2;
  });
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Mean absolute percentage error as a fraction (0.1 = 10%), like scikit-learn. Rows whose actual
 * value is 0 are skipped, because their percentage error is undefined (scikit-learn instead divides
 * by machine epsilon, giving absurd values); `skipped` says how many. `value` is NaN when every
 * actual is 0.
 * @example
 * mape([100, 0, 50], [110, 3, 40]) // { value: 0.15, skipped: 1 }
 */
export function mape(actual: readonly number[], predicted: readonly number[]): { value: number; skipped: number } {
  requirePair(actual, predicted, 'mape');
  const errors: number[] = [];
  actual.forEach((a, i) => {
    if (a !== 0) errors.push(Math.abs((a - predicted[i]!) / a));
  });
  return { value: mean(errors), skipped: actual.length - errors.length };
}

/**
 * Arithmetic mean; NaN for an empty list.
 * @example
 * mean([1, 2, 3]) // 2
 */
export function mean(values: readonly number[]): number {
  requireFinite(values, 'values', 'mean');
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
