import { table as makeTable, type ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';

/** The arquero table type that Table artifacts hold. */
export type DataTable = ColumnTable;

/** What a column holds, as the preprocessing steps see it. */
export type ColumnKind = 'numeric' | 'categorical' | 'empty' | 'other';

/**
 * Missing means `null`, `undefined` or `NaN`: loaders already turn empty cells and 'NA' into null,
 * but NaN can still come out of arithmetic upstream.
 * @example
 * isMissing(null) // true
 */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/**
 * A column's values as a plain array (Arrow-decoded tables may hand back typed arrays or bigints).
 * @example
 * columnValues(table, 'Body Mass (g)') // [3750, 3800, null, …]
 */
export function columnValues(table: DataTable, name: string): unknown[] {
  return Array.from(table.array(name) as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

/**
 * Classifies a column by its non-missing values: numbers → numeric, strings/booleans → categorical,
 * nothing present → empty, anything else (dates, objects, mixes with those) → other.
 * @example
 * columnKind(['a', null, 'b']) // 'categorical'
 */
export function columnKind(values: readonly unknown[]): ColumnKind {
  let numbers = 0;
  let labels = 0;
  for (const v of values) {
    if (isMissing(v)) continue;
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string' || typeof v === 'boolean') labels++;
    else return 'other';
  }
  if (numbers === 0 && labels === 0) return 'empty';
  // A column mixing numbers and labels cannot be scaled; as categories it still encodes.
  return labels === 0 ? 'numeric' : 'categorical';
}

/**
 * The key a value is counted under as a category (booleans and numbers become strings), so that
 * categories survive the JSON round trip of a Transform unchanged.
 * @example
 * categoryKey(true) // 'true'
 */
export function categoryKey(value: unknown): string {
  return String(value);
}

/**
 * Throws a DataError when a column is absent, listing the table's columns.
 * @example
 * requireColumns(table, ['Sex'], 'transformers/apply (onehot)');
 */
export function requireColumns(table: DataTable, names: readonly string[], where: string): void {
  const present = new Set(table.columnNames());
  const missing = names.filter((n) => !present.has(n));
  if (missing.length) {
    throw new DataError(
      `${where}: no column ${missing.map((m) => `'${m}'`).join(', ')}; the table has ${listColumns(table)}`,
    );
  }
}

/**
 * The table's columns quoted, for error messages.
 * @example
 * listColumns(table) // "'Species', 'Island', …"
 */
export function listColumns(table: DataTable): string {
  return table.columnNames().map((n) => `'${n}'`).join(', ') || '(no columns)';
}

/**
 * A column as numbers (missing → null); a value that is not a number is an error naming the column,
 * because silently scaling strings would corrupt features.
 * @example
 * numericValues(table, 'Body Mass (g)', 'standardize') // [3750, null, …]
 */
export function numericValues(table: DataTable, name: string, where: string): Array<number | null> {
  return columnValues(table, name).map((v, row) => {
    if (isMissing(v)) return null;
    if (typeof v === 'number') return v;
    throw new DataError(
      `${where}: column '${name}' must be numeric, found ${JSON.stringify(v)} at row ${row}; ` +
        `cast it with cleaners/cast-types or leave it out of 'columns'`,
    );
  });
}

/**
 * Rebuilds a table with some columns replaced, keeping column order: each replaced column becomes
 * the columns of its record (none to drop it, several for one-hot), in place.
 * @example
 * replaceColumns(table, new Map([['x', { x: scaled }]]))
 */
export function replaceColumns(
  table: DataTable,
  replacements: ReadonlyMap<string, Record<string, unknown[]>>,
): DataTable {
  const data: Record<string, unknown[] | ArrayLike<unknown>> = {};
  const names: string[] = [];
  for (const name of table.columnNames()) {
    const replaced = replacements.get(name);
    if (!replaced) {
      data[name] = table.array(name) as ArrayLike<unknown>;
      names.push(name);
      continue;
    }
    for (const [out, values] of Object.entries(replaced)) {
      data[out] = values;
      names.push(out);
    }
  }
  return makeTable(data, names);
}

/**
 * The rows at `indices` (positions as `numRows`/`array` count them), in that order, as a new table.
 * A filtered or ordered table is materialised first, because arquero's `reify(indices)` addresses the
 * underlying data, not the visible rows.
 * @example
 * pickRows(table, [4, 0, 2])
 */
export function pickRows(table: DataTable, indices: readonly number[]): DataTable {
  const base = table.isFiltered() || table.isOrdered() ? table.reify() : table;
  return base.reify([...indices]) as DataTable;
}
