import { isMissing, pickRows, type DataTable } from '../data-table.ts';

/**
 * A stable identity key for a row's values in `columns`: equal cells give equal keys (all missing
 * forms count as one), and the type is kept so 1 and '1' differ.
 * @example
 * rowKeys(table, ['a', 'b'])[0] // '[["n",1],["s","x"]]'
 */
export function rowKeys(table: DataTable, columns: readonly string[]): string[] {
  const arrays = columns.map((c) => table.array(c) as ArrayLike<unknown>);
  const keys: string[] = [];
  for (let row = 0; row < table.numRows(); row++) {
    keys.push(JSON.stringify(arrays.map((a) => cellKey(a[row]))));
  }
  return keys;
}

function cellKey(v: unknown): [string, unknown] {
  if (isMissing(v)) return ['null', null];
  if (v instanceof Date) return ['d', v.getTime()];
  if (typeof v === 'bigint') return ['n', Number(v)];
  return [typeof v === 'number' ? 'n' : typeof v === 'string' ? 's' : typeof v, v];
}

/**
 * Keeps the rows whose index passes `keep`, as a new materialised table.
 * @example
 * keepRows(table, (row) => row % 2 === 0)
 */
export function keepRows(table: DataTable, keep: (row: number) => boolean): DataTable {
  const rows: number[] = [];
  for (let row = 0; row < table.numRows(); row++) if (keep(row)) rows.push(row);
  return pickRows(table, rows);
}
