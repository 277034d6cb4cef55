import { defineTask, Table, Type } from '../../core/index.ts';
import { isMissing, requireColumns } from '../data-table.ts';
import { keepRows } from './_rows.ts';

/**
 * Removes rows with a missing value (null, undefined, NaN) in any of `columns`. To drop only rows
 * whose target is missing, use cleaners/drop-missing-target.
 * @example
 * const t = b.add('complete', dropMissing, { table: raw.table }, { columns: ['Body Mass (g)'] });
 */
export const dropMissing = defineTask({
  name: 'cleaners/drop-missing',
  version: 1,
  params: Type.Object({
    columns: Type.Optional(Type.Array(Type.String(), { description: 'Columns checked for missing values. Default: all columns.' })),
  }),
  inputs: { table: Table },
  outputs: { table: Table },
  run: ({ table }, { columns }, ctx) => {
    const by = columns ?? table.columnNames();
    requireColumns(table, by, 'cleaners/drop-missing');
    const arrays = by.map((c) => table.array(c) as ArrayLike<unknown>);
    const out = keepRows(table, (row) => arrays.every((a) => !isMissing(a[row])));
    ctx.log.info(`dropped ${table.numRows() - out.numRows()} row(s) with missing values of ${table.numRows()}`);
    return { table: out };
  },
});
