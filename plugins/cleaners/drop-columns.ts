import { defineTask, Table, Type } from '../../core/index.ts';
import { requireColumns } from '../data-table.ts';

/**
 * Removes columns. An unknown name is an error listing the table's columns, so a typo cannot leave a
 * column silently in place.
 * @example
 * const t = b.add('drop', dropColumns, { table: raw.table }, { columns: ['Island'] });
 */
export const dropColumns = defineTask({
  name: 'cleaners/drop-columns',
  version: 1,
  params: Type.Object({
    columns: Type.Array(Type.String(), { minItems: 1, description: 'Columns to remove.' }),
  }),
  inputs: { table: Table },
  outputs: { table: Table },
  run: ({ table }, { columns }) => {
    requireColumns(table, columns, 'cleaners/drop-columns');
    const drop = new Set(columns);
    return { table: table.select(table.columnNames().filter((n) => !drop.has(n))).reify() };
  },
});
