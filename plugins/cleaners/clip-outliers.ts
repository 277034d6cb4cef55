import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitClip } from '../transformers/steps.ts';

/**
 * Fits outlier clipping on the training split: bounds from Tukey's IQR fences (q1 − k·IQR, q3 + k·IQR)
 * or from mean ± z·std. Applying caps values at the bounds; rows are never removed, so features stay
 * aligned with targets.
 * @example
 * const clip = b.add('clip', clipOutliers, { train: split.train, problem: p.problem }, { method: 'zscore', z: 3 });
 */
export const clipOutliers = defineTask({
  name: 'cleaners/clip-outliers',
  version: 1,
  params: Type.Object({
    columns: columnsParam('numeric columns'),
    method: Type.Enum(['iqr', 'zscore'], { default: 'iqr', description: "'iqr' (Tukey fences) or 'zscore' (mean ± z·std)." }),
    k: Type.Number({ default: 1.5, minimum: 0, description: "IQR multiplier for method 'iqr' (1.5 = Tukey's outliers, 3 = far out)." }),
    z: Type.Number({ default: 3, exclusiveMinimum: 0, description: "Number of standard deviations for method 'zscore'." }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, { columns, method, k, z }) => {
    const cols = selectColumns(train, { columns, target: problem.target, accept: ['numeric'], where: 'cleaners/clip-outliers' });
    return { transform: { steps: [fitClip(train, { columns: cols, method, k, z })] } };
  },
});
