import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem } from '../kinds.ts';
import { isMissing, requireColumns } from '../data-table.ts';
import { keepRows } from './_rows.ts';

/**
 * Removes rows whose target is missing: they cannot be trained or scored on, while missing features
 * can still be imputed.
 * @example
 * const t = b.add('labelled', dropMissingTarget, { table: raw.table, problem: p.problem });
 */
export const dropMissingTarget = defineTask({
  name: 'cleaners/drop-missing-target',
  version: 1,
  params: Type.Object({}),
  inputs: { table: Table, problem: Problem },
  outputs: { table: Table },
  run: ({ table, problem }, _params, ctx) => {
    requireColumns(table, [problem.target], 'cleaners/drop-missing-target');
    const target = table.array(problem.target) as ArrayLike<unknown>;
    const out = keepRows(table, (row) => !isMissing(target[row]));
    ctx.log.info(`dropped ${table.numRows() - out.numRows()} row(s) with a missing '${problem.target}' of ${table.numRows()}`);
    return { table: out };
  },
});
