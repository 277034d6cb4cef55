import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ColumnTable } from 'arquero';
import { DataError, type AnyTask, type TaskContext, type TaskLogger } from '../../core/index.ts';
import { PARSERS, type CellType } from './_cells.ts';
import { parseDelimited } from './_parse-delimited.ts';

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** For SQLite files: the table (or view) to read. Other formats ignore it. */
  table?: string;
  /** Where the loaders' warnings go (a column mixing types, one column that looks delimited). */
  log?: TaskLogger;
}

/** What {@link readTable} returns. */
export interface ReadTableResult {
  table: ColumnTable;
  /** The loader task that read it, e.g. 'loaders/csv'. */
  loader: string;
  /**
   * The 1-based line of the file a data row (0-based) starts on, for messages; undefined where the
   * format has no lines (JSON arrays, Parquet, Arrow, SQLite). Computed on first call only, since a
   * valid file never needs it.
   */
  lineOf(row: number): number | undefined;
}

// Loaders are imported on use: Parquet's WebAssembly and SQLite's native module cost time to load,
// and a CSV reader should not pay for them.
type Format = { loader: () => Promise<AnyTask>; sqlite?: boolean; lines?: 'delimited' | 'ndjson'; delimiter?: string };
const csv = async () => (await import('./csv.ts')).csvLoader as AnyTask;
const tsv = async () => (await import('./tsv.ts')).tsvLoader as AnyTask;
const ndjson = async () => (await import('./ndjson.ts')).ndjsonLoader as AnyTask;
const arrow = async () => (await import('./arrow.ts')).arrowLoader as AnyTask;
const sqlite = async () => (await import('./sqlite.ts')).sqliteLoader as AnyTask;

/** Extension → the training loader that reads it: one list, so predict and serving never guess differently. */
const FORMATS: Record<string, Format> = {
  '.csv': { loader: csv, lines: 'delimited', delimiter: ',' },
  '.tsv': { loader: tsv, lines: 'delimited', delimiter: '\t' },
  '.tab': { loader: tsv, lines: 'delimited', delimiter: '\t' },
  '.txt': { loader: tsv, lines: 'delimited', delimiter: '\t' },
  '.json': { loader: async () => (await import('./json.ts')).jsonLoader as AnyTask },
  '.ndjson': { loader: ndjson, lines: 'ndjson' },
  '.jsonl': { loader: ndjson, lines: 'ndjson' },
  '.parquet': { loader: async () => (await import('./parquet.ts')).parquetLoader as AnyTask },
  '.arrow': { loader: arrow },
  '.feather': { loader: arrow },
  '.ipc': { loader: arrow },
  '.db': { loader: sqlite, sqlite: true },
  '.sqlite': { loader: sqlite, sqlite: true },
  '.sqlite3': { loader: sqlite, sqlite: true },
};

/** The extensions readTable knows, for help texts and messages. */
export const TABLE_EXTENSIONS = Object.keys(FORMATS);

/**
 * Reads a data file into a table by its extension, through the very loader task training uses
 * (loaders/csv, tsv, json, ndjson, parquet, arrow, sqlite) with its default params, so a file
 * predict or serving reads is accepted or refused exactly as training would: ragged rows, duplicate
 * headers, invalid UTF-8 and empty files fail with the same `file:line: what. fix` DataError. A
 * SQLite file needs `options.table`.
 * @example
 * const { table, lineOf } = await readTable('/data/new-penguins.csv');
 * lineOf(0); // 2 (the header is line 1)
 */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<ReadTableResult> {
  const ext = extname(file).toLowerCase();
  if (!Object.hasOwn(FORMATS, ext)) {
    throw new DataError(`${file}: cannot tell the format from the extension '${ext || '(none)'}'. `
      + `Use one of ${TABLE_EXTENSIONS.join(' ')} (a .txt file is read as tab-separated).`);
  }
  const format = FORMATS[ext]!;
  if (format.sqlite && options.table === undefined) {
    throw new DataError(`${file}: a SQLite file holds several tables; name the one to read (mlcycle predict: --table <name>).`);
  }
  const loader = await format.loader();
  const { value, errors } = loader.validateParams(format.sqlite ? { path: file, table: options.table } : { path: file });
  if (errors.length) throw new DataError(`${file}: ${errors.join('; ')}`);
  const out = (await loader.run({}, value, loaderContext(options.log))) as { table: ColumnTable };
  let lines: Int32Array | undefined;
  const lineOf = (row: number): number | undefined => {
    if (!format.lines) return undefined;
    lines ??= recordLines(file, format);
    return lines[row];
  };
  return { table: out.table, loader: loader.name, lineOf };
}

/**
 * A cell's text read as a value of `type` with the loaders' own grammar (numbers as the CSV loader
 * reads them, 'true'/'false' any case, ISO dates), or undefined when it is not one. For checks that
 * meet text where a typed value was expected (one bad cell makes a CSV column text).
 * @example
 * readCell(' 4050 ', 'number'); // 4050
 * readCell('1,000', 'number');  // undefined
 */
export function readCell(text: string, type: CellType): unknown {
  return PARSERS[type](text);
}

/** The line each data row starts on; the file parsed fine a moment ago, so this cannot fail on syntax. */
function recordLines(file: string, format: Format): Int32Array {
  // Synchronous is fine: this runs only to word a message about rows already found invalid. The loader
  // decoded the same bytes (a BOM, if any, is dropped by both), so records and lines agree.
  const text = new TextDecoder().decode(readFileSync(file));
  if (format.lines === 'ndjson') {
    const found: number[] = [];
    text.split(/\r?\n/).forEach((line, i) => { if (line.trim() !== '') found.push(i + 1); });
    return Int32Array.from(found);
  }
  const cells = parseDelimited(text, format.delimiter!, file);
  return cells.lines.subarray(1); // the header is record 0
}

function loaderContext(log: TaskLogger | undefined): TaskContext {
  const quiet = () => undefined;
  return {
    signal: new AbortController().signal,
    log: log ?? { info: quiet, warn: quiet, debug: quiet },
    report: quiet,
    seed: 0,
    nodeId: 'read-table',
    attempt: 1,
    threads: 1,
    run: { id: 'read-table', dag: 'read-table', params: {} },
    // A loader never reads it; outside a run there is no workspace to name.
    home: process.cwd(),
  };
}
