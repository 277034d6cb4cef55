import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitOrdinal } from './steps.ts';

/**
 * Fits ordinal encoding: each category becomes its index in the sorted train categories; unseen
 * categories and missing values become -1.
 * @example
 * const ord = b.add('ordinal', ordinalEncode, { train: split.train, problem: p.problem });
 */
export const ordinalEncode = defineTask({
  name: 'transformers/ordinal-encode',
  version: 1,
  params: Type.Object({ columns: columnsParam('string and boolean columns') }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, { columns }) => {
    const cols = selectColumns(train, {
      columns, target: problem.target, accept: ['categorical'], explicitAccept: ['categorical', 'numeric'],
      where: 'transformers/ordinal-encode',
    });
    return { transform: { steps: [fitOrdinal(train, { columns: cols })] } };
  },
});
