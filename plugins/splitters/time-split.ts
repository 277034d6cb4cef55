import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { isMissing, pickRows, requireColumns } from '../data-table.ts';
import { holdoutSize } from './_split.ts';

/**
 * Holdout split by time: rows ordered by `column` (numbers, dates or ISO date strings); the latest
 * `testFraction` of rows are test, so a model is scored on the future of what it learned from.
 * Both splits come out in time order; ties keep the table's order.
 * @example
 * const split = b.add('split', timeSplit, { table: raw.table }, { column: 'date', testFraction: 0.2 });
 */
export const timeSplit = defineTask({
  name: 'splitters/time-split',
  version: 1,
  params: Type.Object({
    column: Type.String({ description: 'The column that orders rows in time (number, date or ISO date string).' }),
    testFraction: Type.Number({ default: 0.2, exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Share of the latest rows held out for testing.' }),
  }),
  inputs: { table: Table },
  outputs: { train: Table, test: Table },
  run: ({ table }, { column, testFraction }) => {
    const where = 'splitters/time-split';
    requireColumns(table, [column], where);
    const values = Array.from(table.array(column) as ArrayLike<unknown>, (v) => (v instanceof Date ? v.getTime() : v));
    const missing = values.filter(isMissing).length;
    if (missing) {
      throw new DataError(`${where}: column '${column}' has ${missing} missing value(s), which have no place in time; drop them first with cleaners/drop-missing`);
    }
    const kinds = new Set(values.map((v) => typeof v));
    if (kinds.size > 1 || !(kinds.has('number') || kinds.has('string') || kinds.has('bigint'))) {
      throw new DataError(`${where}: column '${column}' must hold only numbers, dates or date strings, found ${[...kinds].join(' and ')}`);
    }
    const order = values.map((_, i) => i).sort((a, b) => {
      const x = values[a] as number | string;
      const y = values[b] as number | string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    const nTest = holdoutSize(values.length, testFraction, where);
    const cut = values.length - nTest;
    return { train: pickRows(table, order.slice(0, cut)), test: pickRows(table, order.slice(cut)) };
  },
});
