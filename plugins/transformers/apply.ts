import { defineTask, Table, Type } from '../../core/index.ts';
import { Transform } from '../kinds.ts';
import { applyTransform } from './steps.ts';

/**
 * Applies a fitted Transform, unchanged, to any table: train, test, or new data at predict time.
 * It never re-fits, so statistics always come from the split the Transform was fitted on.
 * @example
 * const prep = b.add('prep', autoPreprocess, { train: split.train, problem: p.problem });
 * const testX = b.add('prep-test', apply, { table: split.test, transform: prep.transform });
 */
export const apply = defineTask({
  name: 'transformers/apply',
  version: 1,
  // Whole-table work that one fold branch of a cross-validation does: in the worker pool, the folds
  // run side by side instead of queueing on the main thread (2x on 100k-row tables).
  isolation: 'worker',
  params: Type.Object({}),
  inputs: { table: Table, transform: Transform },
  outputs: { table: Table },
  run: ({ table, transform }) => ({ table: applyTransform(table, transform) }),
});
