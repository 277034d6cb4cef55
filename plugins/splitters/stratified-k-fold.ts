import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Folds, Problem } from '../kinds.ts';
import { mulberry32, shuffled, SEED_DESCRIPTION } from '../random.ts';
import { classRows, toFolds } from './_split.ts';

/**
 * Stratified k-fold: each class's rows are dealt round-robin over the folds, so every fold holds each
 * class's share to within one row. The deal continues from fold to fold across classes, which also
 * keeps fold sizes within one row of each other.
 * @example
 * const cv = b.add('folds', stratifiedKFold, { table: raw.table, problem: p.problem }, { k: 5 });
 */
export const stratifiedKFold = defineTask({
  name: 'splitters/stratified-k-fold',
  version: 1,
  params: Type.Object({
    k: Type.Integer({ default: 5, minimum: 2, description: 'Number of folds (at most the size of the smallest class).' }),
    shuffle: Type.Boolean({ default: true, description: 'Shuffle rows within each class before dealing them out.' }),
    seed: Type.Integer({ default: 0, description: SEED_DESCRIPTION }),
  }),
  inputs: { table: Table, problem: Problem },
  outputs: { folds: Folds },
  run: ({ table, problem }, { k, shuffle, seed }) => {
    const where = 'splitters/stratified-k-fold';
    const groups = classRows(table, problem, where);
    for (const [label, rows] of groups) {
      if (rows.length < k) {
        throw new DataError(
          `${where}: class '${label}' of '${problem.target}' has ${rows.length} row(s), fewer than k = ${k}, so some fold ` +
            `would have none; lower k to ${rows.length} or merge rare classes`,
        );
      }
    }
    const rand = mulberry32(seed);
    const tests: number[][] = Array.from({ length: k }, () => []);
    let next = 0;
    for (const rows of groups.values()) {
      for (const row of shuffle ? shuffled(rows, rand) : rows) {
        tests[next].push(row);
        next = (next + 1) % k;
      }
    }
    return { folds: toFolds(table.numRows(), tests) };
  },
});
