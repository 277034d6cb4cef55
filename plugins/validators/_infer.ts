import type { ColumnTable } from 'arquero';
import type { ColumnSchema, DataSchemaSpec } from '../kinds.ts';
import { readNumbers } from '../arrow-columns.ts';
import { columnValues, isMissing } from './_values.ts';

/**
 * A table's schema: per column its type, share of missing cells, min/max for numbers, and sorted
 * categories for string/boolean columns with at most `maxCategories` distinct values (more, and the
 * column is treated as free text: no categories recorded, so none are checked).
 * @example
 * inferTableSchema(table, { maxCategories: 50 }).columns[0]; // { name: 'species', type: 'string', missingRatio: 0, categories: [...] }
 */
export function inferTableSchema(table: ColumnTable, options: { maxCategories: number }): DataSchemaSpec {
  const rows = table.numRows();
  const columns = table.columnNames().map((name): ColumnSchema => {
    const numbers = readNumbers(table, name);
    if (numbers) return numberSchema(name, numbers, rows);
    const present = columnValues(table, name).filter((v) => !isMissing(v));
    const type = typeOf(present);
    const col: ColumnSchema = { name, type, missingRatio: rows === 0 ? 0 : (rows - present.length) / rows };
    if (type === 'number' || type === 'integer') {
      let min = Infinity;
      let max = -Infinity;
      for (const v of present) { const x = Number(v); if (x < min) min = x; if (x > max) max = x; }
      if (present.length) Object.assign(col, { min, max });
    } else if (type === 'string' || type === 'boolean') {
      const distinct = [...new Set(present.map(String))].sort();
      if (distinct.length <= options.maxCategories) col.categories = distinct;
    }
    return col;
  });
  return { rows, columns };
}

// An Arrow number column, read from its buffer (NaN = missing): the same schema as the generic path gives.
function numberSchema(name: string, xs: Float64Array, rows: number): ColumnSchema {
  let count = 0;
  let whole = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x !== x) continue;
    count++;
    if (whole && !Number.isInteger(x)) whole = false;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // No value at all: typed 'string' with no categories, as the generic path records it.
  if (count === 0) return { name, type: 'string', missingRatio: rows === 0 ? 0 : 1, categories: [] };
  return { name, type: whole ? 'integer' : 'number', missingRatio: (rows - count) / rows, min, max };
}

// Mixed columns (possible in hand-built tables, never from the loaders) are recorded as string.
function typeOf(present: unknown[]): ColumnSchema['type'] {
  if (present.length === 0) return 'string';
  if (present.every((v) => typeof v === 'number' || typeof v === 'bigint')) {
    return present.every((v) => typeof v === 'bigint' || Number.isInteger(v)) ? 'integer' : 'number';
  }
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => v instanceof Date)) return 'date';
  return 'string';
}
