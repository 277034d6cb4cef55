import { defineTask, Table, Type } from '../../core/index.ts';
import { mulberry32, permutation, SEED_DESCRIPTION } from '../random.ts';
import { holdoutSize, takeRows } from './_split.ts';

/**
 * Random holdout split: `testFraction` of the rows (rounded up) go to test, the rest to train, both
 * in the table's original order. Deterministic for a given `seed`. For class-balanced splits use
 * splitters/stratified-train-test.
 * @example
 * const split = b.add('split', trainTest, { table: raw.table }, { testFraction: 0.25, seed: 1 });
 * // split.train, split.test
 */
export const trainTest = defineTask({
  name: 'splitters/train-test',
  version: 1,
  params: Type.Object({
    testFraction: Type.Number({ default: 0.2, exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Share of rows held out for testing.' }),
    seed: Type.Integer({ default: 0, description: SEED_DESCRIPTION }),
  }),
  inputs: { table: Table },
  outputs: { train: Table, test: Table },
  run: ({ table }, { testFraction, seed }) => {
    const rows = table.numRows();
    const nTest = holdoutSize(rows, testFraction, 'splitters/train-test');
    const order = permutation(rows, mulberry32(seed));
    return { train: takeRows(table, order.slice(nTest)), test: takeRows(table, order.slice(0, nTest)) };
  },
});
