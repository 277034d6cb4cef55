import { defineTask, DataError, Table, Type } from '../../core/index.ts';
import { columnValues, replaceColumns, requireColumns } from '../data-table.ts';
import { castValue, UNCASTABLE, type CastType } from './_cast.ts';

/**
 * Casts columns to number, string or boolean. Numbers parse from trimmed strings; booleans read
 * true/false, yes/no, t/f, y/n, 1/0. A value that cannot be cast becomes null with a warning giving
 * the count, or fails the task when `strict`.
 * @example
 * const t = b.add('cast', castTypes, { table: raw.table }, { types: { 'Body Mass (g)': 'number' } });
 */
export const castTypes = defineTask({
  name: 'cleaners/cast-types',
  version: 1,
  params: Type.Object({
    types: Type.Record(Type.String(), Type.Enum(['number', 'string', 'boolean']), {
      description: "Target type by column, e.g. { 'Body Mass (g)': 'number', 'Sex': 'string' }.",
    }),
    strict: Type.Boolean({ default: false, description: 'Fail on a value that cannot be cast instead of making it null.' }),
  }),
  inputs: { table: Table },
  outputs: { table: Table },
  run: ({ table }, { types, strict }, ctx) => {
    const where = 'cleaners/cast-types';
    requireColumns(table, Object.keys(types), where);
    const out = new Map<string, Record<string, unknown[]>>();
    for (const [column, type] of Object.entries(types) as Array<[string, CastType]>) {
      let failed = 0;
      let example: unknown;
      const values = columnValues(table, column).map((v) => {
        const cast = castValue(v, type);
        if (cast !== UNCASTABLE) return cast;
        if (failed++ === 0) example = v;
        return null;
      });
      if (failed) {
        const message = `${where}: ${failed} value(s) of column '${column}' cannot be cast to ${type} (e.g. ${JSON.stringify(example)})`;
        if (strict) throw new DataError(`${message}; fix the data or set strict: false to make them null`);
        ctx.log.warn(`${message}; they are now null`);
      }
      out.set(column, { [column]: values });
    }
    return { table: replaceColumns(table, out) };
  },
});
