import { from, type ColumnTable } from 'arquero';
import { ValidationError } from '../../core/index.ts';
import type { ColumnSchema } from '../kinds.ts';

/** Rows as read from JSON, or a table. */
export type InputRows = ColumnTable | Array<Record<string, unknown>>;

const isMissing = (v: unknown): boolean => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/**
 * Checks input rows against a bundle's feature schema and returns them with values in the
 * schema's types. Missing feature columns and values of the wrong type fail with one
 * ValidationError listing every problem (so a user fixes the file once); extra columns pass through.
 * Harmless mismatches are coerced rather than refused, because CSV parsing guesses types: a
 * category column of digits arrives as numbers, booleans as 'true'/'false' text.
 * @example
 * const table = checkFeatures(fromCSV(text), bundle.manifest.features);
 */
export function checkFeatures(input: InputRows, features: readonly ColumnSchema[]): ColumnTable {
  const table = Array.isArray(input) ? from(input) : input;
  const names = table.columnNames();
  const missing = features.filter((f) => !names.includes(f.name)).map((f) => f.name);
  const problems: string[] = [];
  if (missing.length) problems.push(`missing column(s): ${missing.map((m) => `'${m}'`).join(', ')}`);
  const fixed: Record<string, unknown[]> = {};
  for (const feature of features.filter((f) => names.includes(f.name))) {
    const values = Array.from(table.array(feature.name) as ArrayLike<unknown>);
    const bad: string[] = [];
    fixed[feature.name] = values.map((v, row) => {
      if (isMissing(v)) return null;
      const out = coerce(v, feature.type);
      if (out === undefined && bad.length < 3) bad.push(`row ${row + 1}: ${JSON.stringify(v)}`);
      return out;
    });
    if (bad.length) problems.push(`column '${feature.name}' must hold ${feature.type} values (${bad.join('; ')})`);
  }
  if (problems.length) {
    throw new ValidationError(
      `input does not match the bundle's feature schema: ${problems.join('; ')}. ` +
        `Expected columns: ${features.map((f) => `${f.name} (${f.type})`).join(', ')}.`,
    );
  }
  return Object.keys(fixed).length ? table.assign(fixed) : table;
}

/** The value in the schema's type, or undefined when it cannot be one. */
function coerce(v: unknown, type: ColumnSchema['type']): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      if (typeof v === 'bigint') return Number(v);
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return v === 'true' ? true : v === 'false' ? false : undefined;
    case 'date': {
      const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
      return d && !Number.isNaN(d.getTime()) ? d : undefined;
    }
    default:
      return v;
  }
}
