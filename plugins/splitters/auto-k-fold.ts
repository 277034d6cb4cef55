import { defineTask, Table, Type } from '../../core/index.ts';
import { Folds, Problem } from '../kinds.ts';
import { kFold } from './k-fold.ts';
import { stratifiedKFold } from './stratified-k-fold.ts';

/**
 * k-fold cross-validation folds, stratified by class for classification problems and plain for
 * regression. With `task: 'auto'` the problem type is known only once the data is read, so this is
 * the splitter a generic DAG uses.
 * @example
 * const { folds } = b.add('folds', autoKFold, { table, problem }, { k: 5, seed: 0 });
 */
export const autoKFold = defineTask({
  name: 'splitters/auto-k-fold',
  version: 1,
  params: Type.Object({
    k: Type.Integer({ default: 5, minimum: 2, description: 'Number of folds' }),
    seed: Type.Integer({ default: 0, description: 'Seed of the row shuffle' }),
  }),
  inputs: { table: Table, problem: Problem },
  outputs: { folds: Folds },
  async run({ table, problem }, { k, seed }, ctx) {
    if (problem.task === 'regression') return kFold.run({ table }, { k, seed, shuffle: true }, ctx);
    return stratifiedKFold.run({ table, problem }, { k, seed, shuffle: true }, ctx);
  },
});
