import { DataError } from '../../core/index.ts';
import { codeColumn } from '../arrow-columns.ts';
import { categoryKey, columnValues, isMissing, replaceColumns, requireColumns, type DataTable } from '../data-table.ts';
import { compareValues } from './_stats.ts';

/**
 * Fitted one-hot encoding: each column's train categories and the indicator column made for each.
 * Unseen and missing values both become an all-zero row: no `__missing` column, so the feature set
 * does not depend on whether the training split happened to contain a missing value.
 */
export type OneHotStep = {
  type: 'onehot';
  columns: Array<{ column: string; categories: string[]; outputs: string[] }>;
};

/** Fitted ordinal encoding: category → its index in `categories` (sorted); unseen and missing → -1. */
export type OrdinalStep = { type: 'ordinal'; columns: Array<{ column: string; categories: string[] }> };

/**
 * The indicator column's name for a category.
 * @example
 * oneHotName('Sex', 'FEMALE') // 'Sex=FEMALE'
 */
export function oneHotName(column: string, category: string): string {
  return `${column}=${category}`;
}

/** Sorted distinct category keys of the present values (numbers numerically, others by string). */
function learnCategories(table: DataTable, column: string, where: string): string[] {
  const distinct = new Map<string, unknown>();
  for (const v of columnValues(table, column)) if (!isMissing(v)) distinct.set(categoryKey(v), v);
  if (distinct.size === 0) {
    throw new DataError(`${where}: column '${column}' has no values in the training rows; impute or drop it first`);
  }
  return [...distinct.entries()].sort((a, b) => compareValues(a[1], b[1])).map(([key]) => key);
}

/**
 * Learns the categories of each column.
 * @example
 * fitOneHot(train, { columns: ['Island'] })
 * // { type: 'onehot', columns: [{ column: 'Island', categories: ['Biscoe', 'Dream', 'Torgersen'],
 * //   outputs: ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen'] }] }
 */
export function fitOneHot(table: DataTable, opts: { columns: string[] }): OneHotStep {
  requireColumns(table, opts.columns, 'onehot');
  const taken = new Set(table.columnNames().filter((n) => !opts.columns.includes(n)));
  const columns = opts.columns.map((column) => {
    const categories = learnCategories(table, column, 'onehot');
    const outputs = categories.map((c) => oneHotName(column, c));
    for (const name of outputs) {
      if (taken.has(name)) {
        throw new DataError(`onehot: encoding column '${column}' would create '${name}', which already exists; rename one of them`);
      }
      taken.add(name);
    }
    return { column, categories, outputs };
  });
  return { type: 'onehot', columns };
}

/**
 * Replaces each encoded column, in place, by one 0/1 column per train category.
 * @example
 * applyOneHot(test, step) // 'Island' → 'Island=Biscoe', 'Island=Dream', 'Island=Torgersen'
 */
export function applyOneHot(table: DataTable, step: OneHotStep): DataTable {
  requireColumns(table, step.columns.map((c) => c.column), 'apply onehot');
  const out = new Map<string, Record<string, unknown>>();
  for (const { column, categories, outputs } of step.columns) {
    const index = new Map(categories.map((c, i) => [c, i]));
    const values = columnValues(table, column);
    const indicators = outputs.map(() => new Int8Array(values.length));
    values.forEach((v, row) => {
      const i = isMissing(v) ? undefined : index.get(categoryKey(v));
      if (i !== undefined) indicators[i][row] = 1;
    });
    out.set(column, Object.fromEntries(outputs.map((name, i) => [name, codeColumn(indicators[i])])));
  }
  return replaceColumns(table, out);
}

/**
 * Learns the sorted categories of each column.
 * @example
 * fitOrdinal(train, { columns: ['Island'] }) // Biscoe → 0, Dream → 1, Torgersen → 2
 */
export function fitOrdinal(table: DataTable, opts: { columns: string[] }): OrdinalStep {
  requireColumns(table, opts.columns, 'ordinal');
  return {
    type: 'ordinal',
    columns: opts.columns.map((column) => ({ column, categories: learnCategories(table, column, 'ordinal') })),
  };
}

/**
 * Replaces each category by its train index; unseen or missing values become -1 so the column stays
 * numeric without nulls.
 * @example
 * applyOrdinal(test, step)
 */
export function applyOrdinal(table: DataTable, step: OrdinalStep): DataTable {
  requireColumns(table, step.columns.map((c) => c.column), 'apply ordinal');
  const out = new Map<string, Record<string, unknown>>();
  for (const { column, categories } of step.columns) {
    const index = new Map(categories.map((c, i) => [c, i]));
    const codes = Int32Array.from(columnValues(table, column), (v) => (isMissing(v) ? -1 : (index.get(categoryKey(v)) ?? -1)));
    out.set(column, { [column]: codeColumn(codes) });
  }
  return replaceColumns(table, out);
}
