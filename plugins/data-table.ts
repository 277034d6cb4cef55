import { table as makeTable, type ColumnTable } from 'arquero';
import { DataError } from '../core/index.ts';
import { arrowColumnOf, gatherColumn, readNumbers } from './arrow-columns.ts';

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
  if (!table.isFiltered() && !table.isOrdered()) {
    // Arrow columns hand over their buffer (toArray), far cheaper than arquero's per-row scan.
    const col = arrowColumnOf(table.column(name)) as unknown as { toArray?: () => ArrayLike<unknown> } | undefined;
    const values = col?.toArray?.() ?? (table.column(name) as unknown as { toArray?: () => ArrayLike<unknown> })?.toArray?.();
    if (values) return Array.from(values, (v) => (typeof v === 'bigint' ? Number(v) : v));
  }
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
 * columnKind of a table's column; an Arrow number column is classified from its type and null count
 * without reading its values.
 * @example
 * kindOf(table, 'Body Mass (g)') // 'numeric'
 */
export function kindOf(table: DataTable, name: string): ColumnKind {
  const a = table.isFiltered() || table.isOrdered() ? undefined : arrowColumnOf(table.column(name));
  if (a && (a.type.typeId === 2 || a.type.typeId === 3)) return a.nullCount === a.length ? 'empty' : 'numeric';
  return columnKind(columnValues(table, name));
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
 * A column as numbers, NaN where missing; a value that is not a number is an error naming the column,
 * because silently scaling strings would corrupt features.
 * @example
 * numericValues(table, 'Body Mass (g)', 'standardize') // Float64Array [3750, NaN, …]
 */
export function numericValues(table: DataTable, name: string, where: string): Float64Array {
  const fast = readNumbers(table, name);
  if (fast) return fast;
  const values = columnValues(table, name);
  const out = new Float64Array(values.length);
  values.forEach((v, row) => {
    if (isMissing(v)) out[row] = NaN;
    else if (typeof v === 'number') out[row] = v;
    else {
      throw new DataError(
        `${where}: column '${name}' must be numeric, found ${JSON.stringify(v)} at row ${row}; ` +
          `cast it with cleaners/cast-types or leave it out of 'columns'`,
      );
    }
  });
  return out;
}

/**
 * Rebuilds a table with some columns replaced, keeping column order: each replaced column becomes
 * the columns of its record (none to drop it, several for one-hot), in place.
 * @example
 * replaceColumns(table, new Map([['x', { x: scaled }]]))
 */
export function replaceColumns(
  table: DataTable,
  replacements: ReadonlyMap<string, Record<string, unknown>>,
): DataTable {
  // Null prototype: a column named '__proto__' is a column, not the object's prototype.
  const data: Record<string, unknown> = Object.create(null);
  const names: string[] = [];
  // Unfiltered columns are shared as they are (an Arrow column stays one, for the codec).
  const whole = !table.isFiltered() && !table.isOrdered();
  for (const name of table.columnNames()) {
    const replaced = replacements.get(name);
    if (!replaced) {
      data[name] = whole ? table.column(name) : table.array(name);
      names.push(name);
      continue;
    }
    for (const [out, values] of Object.entries(replaced)) {
      data[out] = values;
      names.push(out);
    }
  }
  return makeTable(data as Record<string, unknown[]>, names);
}

/**
 * The rows at `indices` (positions as `numRows`/`array` count them), in that order, as a new table.
 * A filtered or ordered table is materialised first, because arquero's `reify(indices)` addresses the
 * underlying data, not the visible rows.
 * @example
 * pickRows(table, [4, 0, 2])
 */
export function pickRows(table: DataTable, indices: readonly number[]): DataTable {
  if (!table.isFiltered() && !table.isOrdered()) {
    // Arrow columns are gathered buffer to buffer; the rest value by value.
    const idx = Int32Array.from(indices);
    const data: Record<string, unknown> = Object.create(null);
    for (const name of table.columnNames()) {
      const col = table.column(name) as unknown as { at(row: number): unknown };
      const gathered = gatherColumn(col, idx);
      if (gathered) data[name] = gathered;
      else {
        const values = new Array(idx.length);
        for (let k = 0; k < idx.length; k++) values[k] = col.at(idx[k]);
        data[name] = values;
      }
    }
    return makeTable(data as Record<string, unknown[]>, table.columnNames());
  }
  return table.reify().reify([...indices]) as DataTable;
}
