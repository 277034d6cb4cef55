import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitOneHot } from './steps.ts';

/**
 * Fits one-hot encoding: each column becomes one 0/1 column per category seen in train, named
 * `column=category`. Unseen categories and missing values become all-zero rows (no crash, no
 * `__missing` column, so the feature set never depends on whether train had a gap).
 * @example
 * const oh = b.add('onehot', oneHotEncode, { train: split.train, problem: p.problem }, { columns: ['Island'] });
 */
export const oneHotEncode = defineTask({
  name: 'transformers/one-hot-encode',
  version: 1,
  params: Type.Object({ columns: columnsParam('string and boolean columns') }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, { columns }) => {
    const cols = selectColumns(train, {
      columns, target: problem.target, accept: ['categorical'], explicitAccept: ['categorical', 'numeric'],
      where: 'transformers/one-hot-encode',
    });
    return { transform: { steps: [fitOneHot(train, { columns: cols })] } };
  },
});
