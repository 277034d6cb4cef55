import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitStandardize } from './steps.ts';

/**
 * Fits standardisation ((x − mean) / std, population std) on the training split; apply the
 * Transform with transformers/apply. A constant column is only centred. Missing values stay missing.
 * @example
 * const std = b.add('standardize', standardize, { train: split.train, problem: p.problem });
 * const test = b.add('scale-test', apply, { table: split.test, transform: std.transform });
 */
export const standardize = defineTask({
  name: 'transformers/standardize',
  version: 1,
  params: Type.Object({ columns: columnsParam('numeric columns') }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, { columns }) => {
    const cols = selectColumns(train, { columns, target: problem.target, accept: ['numeric'], where: 'transformers/standardize' });
    return { transform: { steps: [fitStandardize(train, { columns: cols })] } };
  },
});
