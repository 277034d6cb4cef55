import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem } from '../kinds.ts';
import { mulberry32, shuffled, SEED_DESCRIPTION } from '../random.ts';
import { allocate, classRows, holdoutSize, takeRows } from './_split.ts';

/**
 * Random holdout split that keeps each target class's share in both splits (each class contributes
 * its proportional number of test rows, apportioned so the total is the rounded-up `testFraction`).
 * Needs a classification problem.
 * @example
 * const split = b.add('split', stratifiedTrainTest, { table: raw.table, problem: p.problem }, { testFraction: 0.2 });
 */
export const stratifiedTrainTest = defineTask({
  name: 'splitters/stratified-train-test',
  version: 1,
  params: Type.Object({
    testFraction: Type.Number({ default: 0.2, exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Share of rows held out for testing.' }),
    seed: Type.Integer({ default: 0, description: SEED_DESCRIPTION }),
  }),
  inputs: { table: Table, problem: Problem },
  outputs: { train: Table, test: Table },
  run: ({ table, problem }, { testFraction, seed }) => {
    const where = 'splitters/stratified-train-test';
    const groups = [...classRows(table, problem, where).values()];
    const quotas = allocate(groups.map((g) => g.length), holdoutSize(table.numRows(), testFraction, where));
    const rand = mulberry32(seed);
    const train: number[] = [];
    const test: number[] = [];
    groups.forEach((rows, i) => {
      const order = shuffled(rows, rand);
      test.push(...order.slice(0, quotas[i]));
      train.push(...order.slice(quotas[i]));
    });
    return { train: takeRows(table, train), test: takeRows(table, test) };
  },
});
