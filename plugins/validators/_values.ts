import type { ColumnTable } from 'arquero';
import type { ColumnSchema } from '../kinds.ts';

/**
 * Missing as the DataSchema counts it: null, undefined, NaN, '' (and an invalid Date).
 * @example
 * isMissing(NaN); // true
 */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))
    || (v instanceof Date && Number.isNaN(v.getTime()));
}

/**
 * Whether a present value fits a schema type; 'integer' takes whole numbers only.
 * @example
 * fitsType(3.5, 'integer'); // false
 */
export function fitsType(v: unknown, type: ColumnSchema['type']): boolean {
  switch (type) {
    case 'number': return typeof v === 'number' || typeof v === 'bigint';
    case 'integer': return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'boolean': return typeof v === 'boolean';
    case 'date': return v instanceof Date;
    case 'string': return typeof v === 'string';
  }
}

/**
 * A column's values as a plain array (arrow-backed columns give typed arrays or vectors).
 * @example
 * columnValues(table, 'species'); // ['Adelie', …]
 */
export function columnValues(table: ColumnTable, name: string): unknown[] {
  if (!table.isFiltered() && !table.isOrdered()) {
    // Arrow-backed columns hand over their buffer at once, far cheaper than arquero's per-row scan.
    const col = table.column(name) as unknown as { toArray?: () => ArrayLike<unknown> };
    if (typeof col?.toArray === 'function') return Array.from(col.toArray());
  }
  return Array.from(table.array(name) as ArrayLike<unknown>);
}

/**
 * A value as JSON for reports: dates as ISO text, odd numbers as text, long strings cut.
 * @example
 * jsonSafe(new Date(0)); // '1970-01-01T00:00:00.000Z'
 */
export function jsonSafe(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : JSON.stringify(v) ?? String(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}
