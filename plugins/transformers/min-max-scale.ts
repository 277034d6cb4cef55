import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitMinMax } from './steps.ts';

/**
 * Fits min-max scaling ((x − min) / (max − min)) on the training split. Test values beyond the train
 * range land outside [0, 1]; a constant column maps to 0. Missing values stay missing.
 * @example
 * const mm = b.add('minmax', minMaxScale, { train: split.train, problem: p.problem });
 */
export const minMaxScale = defineTask({
  name: 'transformers/min-max-scale',
  version: 1,
  params: Type.Object({ columns: columnsParam('numeric columns') }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, { columns }) => {
    const cols = selectColumns(train, { columns, target: problem.target, accept: ['numeric'], where: 'transformers/min-max-scale' });
    return { transform: { steps: [fitMinMax(train, { columns: cols })] } };
  },
});
