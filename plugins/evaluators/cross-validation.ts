import { defineTask, Json, many, Metrics, DataError, Type, type MetricValues } from '../../core/index.ts';

/** Summary of one metric across folds. */
export interface FoldSummary {
  mean: number;
  /** Population standard deviation (ddof = 0), like `numpy.std` and scikit-learn's `cv_results_`. */
  std: number;
  values: number[];
}

/**
 * Summarises per-fold metrics: mean, population std (ddof = 0) and the values in fold order, for
 * every metric present in all folds (a metric missing from one fold, e.g. an undefined AUC, is
 * left out rather than averaged over fewer folds).
 * @example
 * summariseFolds([{ accuracy: 0.8 }, { accuracy: 0.9 }]) // { accuracy: { mean: 0.85, std: 0.05, values: [0.8, 0.9] } }
 */
export function summariseFolds(folds: readonly MetricValues[]): Record<string, FoldSummary> {
  const names = Object.keys(folds[0] ?? {}).filter((k) => folds.every((f) => Number.isFinite(f[k])));
  const out: Record<string, FoldSummary> = {};
  for (const name of names.sort()) {
    const values = folds.map((f) => f[name]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
    out[name] = { mean, std: Math.sqrt(variance), values };
  }
  return out;
}

/**
 * Fan-in of the k folds' metrics: `cv` = `{ <metric>: { mean, std, values }, folds: k }`; std uses
 * ddof = 0 (what `np.std` and scikit-learn's `cross_validate` summaries report).
 * @example
 * const { cv } = b.add('cv', crossValidation, { folds: [e0.metrics, e1.metrics, e2.metrics] });
 */
export const crossValidation = defineTask({
  name: 'evaluators/cross-validation',
  version: 1,
  params: Type.Object({}),
  inputs: { folds: many(Metrics) },
  outputs: { cv: Json },
  run({ folds }) {
    if (folds.length === 0) throw new DataError('evaluators/cross-validation: no folds were wired into `folds`');
    return { cv: { ...summariseFolds(folds), folds: folds.length } };
  },
});
