import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Folds } from '../kinds.ts';
import { mulberry32, permutation, SEED_DESCRIPTION } from '../random.ts';
import { toFolds } from './_split.ts';

/**
 * K-fold cross-validation folds: every row is in exactly one test fold; fold sizes differ by at most
 * one (the first `rows % k` folds get the extra row). Use splitters/select-fold to get each fold's tables.
 * @example
 * const cv = b.add('folds', kFold, { table: raw.table }, { k: 5, seed: 0 });
 * const f0 = b.add('fold-0', selectFold, { table: raw.table, folds: cv.folds }, { fold: 0 });
 */
export const kFold = defineTask({
  name: 'splitters/k-fold',
  version: 1,
  params: Type.Object({
    k: Type.Integer({ default: 5, minimum: 2, description: 'Number of folds.' }),
    shuffle: Type.Boolean({ default: true, description: 'Shuffle rows before cutting folds (false: contiguous blocks in table order).' }),
    seed: Type.Integer({ default: 0, description: SEED_DESCRIPTION }),
  }),
  inputs: { table: Table },
  outputs: { folds: Folds },
  run: ({ table }, { k, shuffle, seed }) => {
    const rows = table.numRows();
    if (k > rows) throw new DataError(`splitters/k-fold: params.k is ${k} but the table has only ${rows} row(s); use k <= ${rows}`);
    const order = shuffle ? permutation(rows, mulberry32(seed)) : Array.from({ length: rows }, (_, i) => i);
    const base = Math.floor(rows / k);
    const tests: number[][] = [];
    let start = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < rows % k ? 1 : 0);
      tests.push(order.slice(start, start + size));
      start += size;
    }
    return { folds: toFolds(rows, tests) };
  },
});
