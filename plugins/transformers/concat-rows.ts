import { defineTask, many, DataError, Table, Type } from '../../core/index.ts';

/**
 * Stacks tables with the same columns into one, in wiring order: for example the out-of-fold
 * predictions of a k-fold cross-validation, so one evaluation and one report cover every row.
 * @example
 * const { table: oof } = b.add('oof', concatRows, { tables: folds.map((f) => f.predictions) });
 */
export const concatRows = defineTask({
  name: 'transformers/concat-rows',
  version: 1,
  params: Type.Object({}),
  inputs: { tables: many(Table) },
  outputs: { table: Table },
  run({ tables }) {
    if (tables.length === 0) throw new DataError('transformers/concat-rows: no table was wired into tables');
    const columns = tables[0].columnNames();
    tables.forEach((t, i) => {
      const names = t.columnNames();
      if (names.length !== columns.length || names.some((n, j) => n !== columns[j])) {
        throw new DataError(
          `transformers/concat-rows: table ${i} has columns [${names.join(', ')}] but table 0 has [${columns.join(', ')}]; ` +
            'only tables with the same columns in the same order can be stacked',
        );
      }
    });
    return { table: tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1)) };
  },
});
