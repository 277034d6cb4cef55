import { defineTask, Table, Type } from '../../core/index.ts';
import { requireColumns } from '../data-table.ts';
import { keepRows, rowKeys } from './_rows.ts';

/**
 * Removes rows that repeat an earlier (or, with keep 'last', a later) row over `columns`; missing
 * cells compare equal to each other. Row order is kept.
 * @example
 * const t = b.add('dedupe', dropDuplicates, { table: raw.table });
 */
export const dropDuplicates = defineTask({
  name: 'cleaners/drop-duplicates',
  version: 1,
  params: Type.Object({
    columns: Type.Optional(Type.Array(Type.String(), { description: 'Columns that define a duplicate. Default: all columns.' })),
    keep: Type.Enum(['first', 'last'], { default: 'first', description: 'Which of the duplicate rows to keep.' }),
  }),
  inputs: { table: Table },
  outputs: { table: Table },
  run: ({ table }, { columns, keep }, ctx) => {
    const by = columns ?? table.columnNames();
    requireColumns(table, by, 'cleaners/drop-duplicates');
    const keys = rowKeys(table, by);
    const chosen = new Map<string, number>();
    keys.forEach((key, row) => {
      if (keep === 'last' || !chosen.has(key)) chosen.set(key, row);
    });
    const out = keepRows(table, (row) => chosen.get(keys[row]) === row);
    ctx.log.info(`dropped ${table.numRows() - out.numRows()} duplicate row(s) of ${table.numRows()}`);
    return { table: out };
  },
});
