import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { Folds } from '../kinds.ts';
import { takeRows } from './_split.ts';

/**
 * One fold of a Folds artifact as tables: that fold's test rows and the rest as train.
 * @example
 * const f2 = b.add('fold-2', selectFold, { table: raw.table, folds: cv.folds }, { fold: 2 });
 * // f2.train, f2.test
 */
export const selectFold = defineTask({
  name: 'splitters/select-fold',
  version: 1,
  // Whole-table work that one fold branch of a cross-validation does: in the worker pool, the folds
  // run side by side instead of queueing on the main thread (2x on 100k-row tables).
  isolation: 'worker',
  params: Type.Object({
    fold: Type.Integer({ default: 0, minimum: 0, description: 'Index of the fold to select (0-based).' }),
  }),
  inputs: { table: Table, folds: Folds },
  outputs: { train: Table, test: Table },
  run: ({ table, folds }, { fold }) => {
    const where = 'splitters/select-fold';
    if (folds.rows !== table.numRows()) {
      throw new DataError(
        `${where}: the folds were made for ${folds.rows} rows but the table has ${table.numRows()}; ` +
          `wire the same table into the k-fold task and into select-fold`,
      );
    }
    const chosen = folds.folds[fold];
    if (!chosen) {
      throw new DataError(`${where}: params.fold is ${fold} but there are ${folds.folds.length} folds (0..${folds.folds.length - 1})`);
    }
    return { train: takeRows(table, chosen.train), test: takeRows(table, chosen.test) };
  },
});
