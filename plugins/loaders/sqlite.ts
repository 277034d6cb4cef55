import Database from 'better-sqlite3';
import { defineTask, Table, Type, ValidationError } from '../../core/index.ts';
import { parseIsoDate } from './_cells.ts';
import { badFile, checkDataFile, resolveDataPath } from './_files.ts';
import { formatBytes, inputLimit, overLimit } from './_input-limit.ts';
import { columnsToTable } from './_records.ts';

/**
 * Loads a SQLite table, or the rows of a read-only query, into a table. The database opens
 * read-only. Columns declared DATE/DATETIME/TIMESTAMP holding ISO text become dates and columns
 * declared BOOLEAN holding 0/1 become booleans (SQLite has no such storage types). A column holding
 * two storage types is read as text, with a warning; BLOBs fail, naming the column and row. Only a
 * regular file opens, and the rows a query returns are held to the input limit (MLCYCLE_MAX_INPUT_BYTES).
 * @example
 * const raw = b.add('load', sqliteLoader, {}, { path: 'shop.db', query: 'SELECT * FROM orders WHERE year >= 2020' });
 */
export const sqliteLoader = defineTask({
  name: 'loaders/sqlite',
  version: 1,
  params: Type.Object({
    path: Type.String({ minLength: 1, description: 'SQLite database file, relative to the working directory.' }),
    table: Type.Optional(Type.String({ minLength: 1, description: 'Table (or view) to load whole. Give this or query.' })),
    query: Type.Optional(Type.String({ minLength: 1, description: 'A SELECT whose rows to load. Give this or table.' })),
  }),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const file = params.path;
    if ((params.table === undefined) === (params.query === undefined)) {
      throw new ValidationError(`loaders/sqlite: give exactly one of params.table or params.query (${file})`);
    }
    await checkDataFile(file); // the shared missing / empty file messages, without reading a large database
    let db: Database.Database;
    try {
      db = new Database(resolveDataPath(file), { readonly: true, fileMustExist: true });
    } catch (err) {
      throw badFile(file, undefined, `cannot open as SQLite: ${(err as Error).message}`, undefined, err);
    }
    try {
      const sql = params.table !== undefined ? `SELECT * FROM ${quoteIdentifier(db, file, params.table)}` : params.query!;
      let stmt: Database.Statement;
      try {
        stmt = db.prepare(sql);
      } catch (err) {
        throw badFile(file, undefined, `cannot run ${JSON.stringify(sql)}: ${(err as Error).message}`,
          /not a database/.test((err as Error).message) ? 'The file is not a SQLite database' : 'Fix the query', err);
      }
      if (!stmt.reader) throw badFile(file, undefined, `query does not return rows: ${JSON.stringify(sql)}`, 'Use a SELECT; the database is opened read-only');
      const meta = stmt.columns();
      const names = meta.map((c) => c.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw badFile(file, undefined, `the query returns column '${twice}' twice`, `Alias one of them (SELECT a.${twice} AS a_${twice}, …)`);
      const rows = readRows(stmt, file);
      const columns = meta.map((col, c) => convert(rows.map((r) => r[c]), col.type, col.name, file));
      const table = columnsToTable(names, columns, { file, locate: (i) => ({ label: `row ${i + 1}` }), parseDates: false, warn: (m) => ctx.log.warn(m) });
      ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${file}`);
      return { table };
    } finally {
      db.close();
    }
  },
});

/**
 * All rows, held to the input limit: the database file can be far smaller than what a query returns
 * (a join, a recursive CTE that never ends), so the rows are counted as they come, not the file.
 */
function readRows(stmt: Database.Statement, file: string): unknown[][] {
  const limit = inputLimit();
  const rows: unknown[][] = [];
  let bytes = 0;
  for (const row of stmt.raw(true).iterate() as IterableIterator<unknown[]>) {
    for (const v of row) bytes += typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.byteLength : 8;
    if (bytes > limit.bytes) {
      throw overLimit(file, `the query's rows passed ${formatBytes(limit.bytes)} at row ${rows.length + 1}`, limit);
    }
    rows.push(row);
  }
  return rows;
}

function quoteIdentifier(db: Database.Database, file: string, name: string): string {
  let known: string[];
  try {
    known = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  } catch (err) {
    throw badFile(file, undefined, `cannot read as SQLite: ${(err as Error).message}`, 'Check the file is a SQLite database', err);
  }
  if (!known.includes(name)) {
    throw badFile(file, undefined, `no table or view named '${name}'`, `It has: ${known.join(', ') || '(no tables)'}`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

function convert(values: unknown[], declared: string | null, column: string, file: string): unknown[] {
  const blob = values.findIndex((v) => v instanceof Uint8Array);
  if (blob >= 0) throw badFile(file, undefined, `column '${column}' holds a BLOB at row ${blob + 1}`, 'Select it out, or cast it in the query (hex(col))');
  const type = (declared ?? '').toUpperCase();
  if (/^(DATE|DATETIME|TIMESTAMP)$/.test(type)) {
    const dates = values.map((v) => (typeof v === 'string' ? parseIsoDate(v) : v === null ? null : undefined));
    return dates.includes(undefined) ? values : dates;
  }
  if (/^BOOL(EAN)?$/.test(type) && values.every((v) => v === null || v === 0 || v === 1)) {
    return values.map((v) => (v === null ? null : v === 1));
  }
  return values;
}
