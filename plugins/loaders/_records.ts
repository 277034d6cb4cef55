import { table as toTable, type ColumnTable } from 'arquero';
import { parseIsoDate } from './_cells.ts';
import { badFile } from './_files.ts';

/** Where a record came from, for messages: a line when known, and a label ('record 3', 'line 7', 'row 2'). */
export type Locate = (index: number) => { line?: number; label: string };

/** Options for recordsToTable / columnsToTable. */
export interface RecordsOptions {
  file: string;
  locate: Locate;
  /** Turn string columns whose every value is an ISO date into dates. */
  parseDates: boolean;
  /** Where to say that a mixed-type column was read as text. */
  warn?: (message: string) => void;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/**
 * Records → table. Columns are the union of keys in first-seen order; a key a record lacks is
 * null. Nested objects are flattened one level ({ "a": { "b": 1 } } → column 'a.b') because that
 * covers the common API shape without guessing further; deeper nesting and arrays fail, naming the
 * column and record, since a table cell holds one value.
 * @example
 * recordsToTable([{ a: 1 }, { b: 'x' }], { file: 'f.json', locate: (i) => ({ label: `record ${i + 1}` }), parseDates: true });
 */
export function recordsToTable(records: unknown[], o: RecordsOptions): ColumnTable {
  const columns = new Map<string, unknown[]>();
  records.forEach((record, i) => {
    const at = o.locate(i);
    if (!isPlainObject(record)) {
      throw badFile(o.file, at.line, `${at.label} is ${kindOf(record)}, expected an object like {"column": value}`);
    }
    const set = (name: string, value: unknown) => {
      let values = columns.get(name);
      if (!values) columns.set(name, (values = new Array(i).fill(null)));
      else if (values.length > i) {
        throw badFile(o.file, at.line, `${at.label}: column '${name}' appears twice once nested objects are flattened`, 'Rename one of the keys');
      }
      values.push(value ?? null);
    };
    for (const [key, value] of Object.entries(record)) {
      if (!isPlainObject(value)) { set(key, checkScalar(value, key, at, o.file)); continue; }
      for (const [sub, inner] of Object.entries(value)) set(`${key}.${sub}`, checkScalar(inner, `${key}.${sub}`, at, o.file));
    }
    for (const values of columns.values()) if (values.length === i) values.push(null);
  });
  return columnsToTable([...columns.keys()], [...columns.values()], o);
}

function checkScalar(value: unknown, column: string, at: { line?: number; label: string }, file: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  throw badFile(file, at.line, `${at.label}: column '${column}' holds ${kindOf(value)}, but a table cell holds one value (objects are flattened one level only)`,
    'Flatten it or join it into a string before loading, or explode arrays into rows');
}

/**
 * Columns of JSON-like values → table. A column that mixes types (a movie titled 1776 among
 * strings, SQLite's dynamic typing) is read as text, with a warning naming the column and where
 * each type was seen, since dropping or guessing values would be worse than a string column.
 * @example
 * columnsToTable(['x'], [[1, null, 2]], { file: 'db.sqlite', locate: (i) => ({ label: `row ${i + 1}` }), parseDates: false });
 */
export function columnsToTable(names: string[], columns: unknown[][], o: RecordsOptions): ColumnTable {
  // Null prototype: a key named '__proto__' is a column, not the object's prototype.
  const data: Record<string, unknown[]> = Object.create(null);
  names.forEach((name, c) => {
    let values = columns[c];
    const first = values.findIndex((v) => v !== null && v !== undefined);
    const other = first < 0 ? -1 : values.findIndex((v) => v !== null && v !== undefined && typeof v !== typeof values[first]);
    if (other >= 0) {
      const a = o.locate(first);
      const b = o.locate(other);
      o.warn?.(`${o.file}: column '${name}' mixes types (${a.label} holds ${kindOf(values[first])} ${JSON.stringify(values[first])}, `
        + `${b.label} holds ${kindOf(values[other])} ${JSON.stringify(values[other])}); reading it as text`);
      values = values.map((v) => (v === null || v === undefined ? null : String(v)));
    }
    if (o.parseDates && first >= 0 && typeof values[first] === 'string') {
      const dates = values.map((v) => (typeof v === 'string' ? parseIsoDate(v) : null));
      if (!dates.includes(undefined)) values = dates;
    }
    data[name] = values.map((v) => v ?? null);
  });
  return toTable(data, names);
}
