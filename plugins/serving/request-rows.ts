import { DataError } from '../../core/index.ts';
import { columnValues } from '../data-table.ts';
import { readDelimitedText } from '../loaders/delimited-text.ts';

/** The JSON forms `POST /invocations` accepts (MLflow's scoring protocol). */
export const INVOCATION_FORMS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

/**
 * Rows from an MLflow scoring body: `{"dataframe_split": {"columns": [...], "data": [[...]]}}`,
 * `{"dataframe_records": [{...}]}`, `{"instances": [{...}]}` or `{"inputs": {col: [...]} | [{...}]}`.
 * Only the shape is checked here (DataError naming what is wrong); values are checked by the model's
 * row schema next. Rows come out as null-prototype objects holding the body's own properties only.
 * @example
 * invocationRows({ dataframe_split: { columns: ['a', 'b'], data: [[1, 'x']] } }); // [{ a: 1, b: 'x' }]
 */
export function invocationRows(body: unknown): unknown[] {
  if (!isObject(body)) throw new DataError(`the body must be a JSON object with one of ${forms()}`);
  const keys = Object.keys(body).filter((k) => k !== 'params');
  const form = keys.find((k) => (INVOCATION_FORMS as readonly string[]).includes(k));
  if (!form || keys.length !== 1) {
    throw new DataError(`the body must hold exactly one of ${forms()}; it has ${keys.length ? keys.slice(0, 5).map((k) => `'${cut(k)}'`).join(', ') : 'none'}`);
  }
  const value = body[form];
  if (form === 'dataframe_split') return splitRows(value);
  if (form === 'inputs' && isObject(value)) return columnRows(value, 'inputs');
  if (!Array.isArray(value)) throw new DataError(`'${form}' must be an array of row objects${form === 'inputs' ? ' or an object of columns' : ''}`);
  return value.map(ownRecord);
}

/**
 * Rows from a KServe Open Inference Protocol V2 request: `inputs: [{name, shape, datatype, data}]`, one
 * tensor per feature column, `data` flat or nested (shape [n] or [n, 1]); every input must hold the
 * same number of values. Returns the rows and the request `id` to echo.
 * @example
 * v2Rows({ id: '7', inputs: [{ name: 'a', shape: [1], datatype: 'FP64', data: [1.5] }] }); // { id: '7', rows: [{ a: 1.5 }] }
 */
export function v2Rows(body: unknown): { id: string | undefined; rows: unknown[] } {
  if (!isObject(body) || !Array.isArray(body.inputs)) throw new DataError("the body must be a JSON object with 'inputs': [{ name, shape, datatype, data }]");
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') throw new DataError("'id' must be a string");
  const columns: Record<string, unknown> = Object.create(null);
  body.inputs.forEach((input, i) => {
    if (!isObject(input) || typeof input.name !== 'string' || !Array.isArray(input.data)) {
      throw new DataError(`inputs[${i}] must be an object with a string 'name' and a 'data' array`);
    }
    if (Object.hasOwn(columns, input.name)) throw new DataError(`inputs name '${cut(input.name)}' twice`);
    columns[input.name] = (input.data as unknown[]).flat(1);
  });
  return { id, rows: columnRows(columns, 'inputs') };
}

/**
 * Rows from a `text/csv` body (header row first), read by the CSV loader's own parser and type
 * inference; a missing cell becomes null, as in JSON.
 * @example
 * csvRows('Island,Body Mass (g)\nBiscoe,4050\n'); // [{ Island: 'Biscoe', 'Body Mass (g)': 4050 }]
 */
export function csvRows(text: string): unknown[] {
  const { table } = readDelimitedText(text, { source: 'CSV body' });
  const names = table.columnNames();
  const columns = names.map((n) => columnValues(table, n));
  const rows: unknown[] = [];
  for (let r = 0; r < table.numRows(); r++) {
    const row: Record<string, unknown> = Object.create(null);
    names.forEach((n, c) => {
      const v = columns[c]![r];
      row[n] = v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
    });
    rows.push(row);
  }
  return rows;
}

function splitRows(value: unknown): unknown[] {
  if (!isObject(value) || !Array.isArray(value.columns) || !Array.isArray(value.data)) {
    throw new DataError("'dataframe_split' must be an object with 'columns' (names) and 'data' (an array of rows, each an array)");
  }
  const names = value.columns as unknown[];
  if (!names.every((n): n is string => typeof n === 'string')) throw new DataError("'dataframe_split.columns' must be strings");
  if (new Set(names).size !== names.length) throw new DataError("'dataframe_split.columns' names a column twice");
  return (value.data as unknown[]).map((cells, i) => {
    if (!Array.isArray(cells) || cells.length !== names.length) {
      throw new DataError(`row ${i + 1}: 'dataframe_split.data' rows must be arrays of ${names.length} value(s), one per column`);
    }
    const row: Record<string, unknown> = Object.create(null);
    names.forEach((n, c) => (row[n] = cells[c]));
    return row;
  });
}

function columnRows(columns: Record<string, unknown>, where: string): unknown[] {
  const names = Object.keys(columns);
  const lengths = names.map((n) => (Array.isArray(columns[n]) ? (columns[n] as unknown[]).length : -1));
  const bad = names.findIndex((_, i) => lengths[i] === -1);
  if (bad >= 0) throw new DataError(`${where} column '${cut(names[bad]!)}' must be an array of values`);
  if (new Set(lengths).size > 1) {
    throw new DataError(`${where} columns must hold the same number of values; ${names.slice(0, 5).map((n, i) => `'${cut(n)}' has ${lengths[i]}`).join(', ')}`);
  }
  const rows: unknown[] = [];
  for (let r = 0; r < (lengths[0] ?? 0); r++) {
    const row: Record<string, unknown> = Object.create(null);
    for (const n of names) row[n] = (columns[n] as unknown[])[r];
    rows.push(row);
  }
  return rows;
}

/** A JSON row object as a null-prototype copy of its own properties; anything else as is (the schema refuses it). */
function ownRecord(row: unknown): unknown {
  if (!isObject(row)) return row;
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(row)) out[k] = row[k];
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function forms(): string {
  return INVOCATION_FORMS.map((f) => `'${f}'`).join(', ');
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
