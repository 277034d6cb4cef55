import { defineTask, Json, Metrics, DataError, Type, type MetricValues } from '../../core/index.ts';

/**
 * The means of a cross-validation summary (evaluators/cross-validation's `cv`) as Metrics, so a
 * model trained on all rows can be exported with its cross-validated scores rather than scores on
 * the rows it was fitted on (a tree scores 1.0 there).
 * @example
 * const { metrics } = b.add('cv-metrics', cvMetrics, { cv });
 */
export const cvMetrics = defineTask({
  name: 'evaluators/cv-metrics',
  version: 1,
  params: Type.Object({}),
  inputs: { cv: Json },
  outputs: { metrics: Metrics },
  run({ cv }) {
    const metrics: MetricValues = {};
    for (const [name, v] of Object.entries(cv as Record<string, unknown>)) {
      const mean = (v as { mean?: unknown } | null)?.mean;
      if (typeof mean === 'number' && Number.isFinite(mean)) metrics[name] = mean;
    }
    if (Object.keys(metrics).length === 0) {
      throw new DataError('evaluators/cv-metrics: the cross-validation summary holds no metric with a mean; wire evaluators/cross-validation\'s cv output here');
    }
    return { metrics };
  },
});
