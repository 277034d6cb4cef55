import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { table as aqTable, toArrowIPC } from 'arquero';
import { initSync, Table as WasmTable, writeParquet } from 'parquet-wasm/esm';
import { DataError, Table, ValidationError } from '../../core/index.ts';
import { arrowLoader } from '../../plugins/loaders/arrow.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { jsonLoader } from '../../plugins/loaders/json.ts';
import { ndjsonLoader } from '../../plugins/loaders/ndjson.ts';
import { parquetLoader } from '../../plugins/loaders/parquet.ts';
import { sqliteLoader } from '../../plugins/loaders/sqlite.ts';
import { tsvLoader } from '../../plugins/loaders/tsv.ts';
import { makeContext, runTask } from '../helpers/task-context.ts';

const fixtures = 'test/fixtures/data';
let dir: string;
const tmp = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

/** Runs a loader expecting a bad-file failure; returns the message after checking class and place. */
async function failure(
  task: Parameters<typeof runTask>[0], params: Record<string, unknown>, place: RegExp | string, kind: typeof ValidationError = DataError,
): Promise<string> {
  const err = await runTask(task, {}, params).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(kind);
  const message = (err as Error).message;
  expect(message).toContain(String(params.path));
  if (typeof place === 'string') expect(message).toContain(place);
  else expect(message).toMatch(place);
  return message;
}

// The table as the next node sees it: through the Table codec (Arrow IPC), as the engine stores it.
const roundTrip = (t: any) => Table.decode(Table.encode(t));

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlcycle-loaders-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loaders/csv', () => {
  it('parses quotes, multi-line fields and missing tokens, and infers types', async () => {
    const ctx = makeContext();
    const { table } = await runTask(csvLoader, {}, { path: `${fixtures}/people.csv` }, ctx);
    expect(table.columnNames()).toEqual(['id', 'name', 'score', 'passed', 'joined', 'zip', 'note']);
    expect(table.numRows()).toBe(4);
    const back = roundTrip(table);
    expect(back.array('id')).toEqual([1, 2, 3, 4]);
    expect(back.array('name')).toEqual(['Ada', 'Lovelace, Byron', 'Grace', 'Linus']);
    expect(Array.from(back.array('score'))).toEqual([91.5, null, 78, null]);
    expect(back.array('passed')).toEqual([true, false, true, false]);
    expect(table.array('joined').map((d: Date | null) => d?.toISOString() ?? null))
      .toEqual(['2021-03-04T00:00:00.000Z', '2021-03-05T10:30:00.000Z', null, '2022-12-31T00:00:00.000Z']);
    expect(table.array('zip')).toEqual(['02134', '10001', '90210', '00501']);
    expect(table.array('note')).toEqual(['likes "quotes"', null, 'two\nlines', null]);
    expect(ctx.logs.join('\n')).toContain('loaded 4 rows × 7 columns');
  });

  it('honours explicit types and a custom missing list', async () => {
    const { table } = await runTask(csvLoader, {}, {
      path: `${fixtures}/people.csv`, types: { id: 'string', zip: 'number' }, missing: [''],
    });
    expect(table.array('id')).toEqual(['1', '2', '3', '4']);
    expect(table.array('zip')).toEqual([2134, 10001, 90210, 501]);
    expect(table.array('note')).toEqual(['likes "quotes"', 'NA', 'two\nlines', 'null']);
    expect(table.array('score')).toEqual(['91.5', null, '78', 'N/A']);
  });

  it('reads .tsv by extension, and loaders/tsv reads tabs whatever the name', async () => {
    const { table } = await runTask(csvLoader, {}, { path: `${fixtures}/cities.tsv` });
    expect(table.array('city')).toEqual(['Lisbon', 'Porto', 'Évora']);
    expect(table.array('population')).toEqual([545000, 232000, null]);
    const txt = tmp('cities.txt', readFileSync(`${fixtures}/cities.tsv`));
    const viaTsv = await runTask(tsvLoader, {}, { path: txt });
    expect(viaTsv.table.objects()).toEqual(table.objects());
  });

  it('reads Windows files: a UTF-8 byte-order mark and CRLF line ends (and counts their lines right)', async () => {
    const file = tmp('windows.csv', '\ufeffa,b\r\n1,"x\r\ny"\r\n2,z\r\n');
    const { table } = await runTask(csvLoader, {}, { path: file });
    expect(table.columnNames()).toEqual(['a', 'b']);
    expect(table.array('b')).toEqual(['x\r\ny', 'z']);
    const ragged = tmp('windows-ragged.csv', 'a,b\r\n1,"x\r\ny"\r\n2\r\n');
    expect(await failure(csvLoader, { path: ragged }, `${ragged}:4:`)).toContain('line 4 has 1 field(s)');
  });

  it('takes header: false and an explicit delimiter', async () => {
    const file = tmp('semi.csv', '1;a\n2;b\n');
    const { table } = await runTask(csvLoader, {}, { path: file, header: false, delimiter: ';' });
    expect(table.columnNames()).toEqual(['col1', 'col2']);
    expect(table.array('col1')).toEqual([1, 2]);
  });

  it('declares the file so its content is part of the cache key', () => {
    expect(csvLoader.files!({ path: 'a.csv' } as any)).toEqual(['a.csv']);
  });

  it('fails on a missing file naming the path and the cwd', async () => {
    const msg = await failure(csvLoader, { path: 'no/such/file.csv' }, 'file not found');
    expect(msg).toContain(process.cwd());
  });

  it('fails on an empty file', async () => {
    await failure(csvLoader, { path: tmp('empty.csv', '') }, 'file is empty');
    await failure(csvLoader, { path: tmp('blank.csv', '\n\n') }, 'only blank lines');
  });

  it('fails on a ragged row with its line and field counts', async () => {
    const file = tmp('ragged.csv', 'a,b,c\n1,2,3\n"x\ny",5,6\n7,8\n');
    const msg = await failure(csvLoader, { path: file }, `${file}:5:`);
    expect(msg).toContain('line 5 has 2 field(s), the header (line 1) has 3');
  });

  it('fails on invalid UTF-8 naming the line and byte, and reads it with encoding latin1', async () => {
    // 'Zoë,M' is 6 bytes in UTF-8 (ë takes two), so the stray Latin-1 'á' is byte 7 of line 3.
    const bytes = Buffer.concat([Buffer.from('name,city\nJosé,Lisboa\n'), Buffer.from('Zoë,M'), Buffer.from([0xe1]), Buffer.from('laga\n')]);
    const file = tmp('latin1.csv', bytes);
    const msg = await failure(csvLoader, { path: file }, `${file}:3:`);
    expect(msg).toContain('not valid UTF-8: byte 0xe1 at byte 7 of line 3');
    expect(msg).toMatch(/iconv|encoding/);
    const { table } = await runTask(csvLoader, {}, { path: tmp('latin1-ok.csv', Buffer.from('city\nM\xe1laga\n', 'latin1')), encoding: 'latin1' });
    expect(table.array('city')).toEqual(['Málaga']);
  });

  it('fails on a column named twice, an empty column name and a header that looks like data', async () => {
    let file = tmp('twice.csv', 'a,b,a\n1,2,3\n');
    expect(await failure(csvLoader, { path: file }, `${file}:1:`)).toContain("column 'a' is named twice in the header (columns 1 and 3)");
    file = tmp('noname.csv', 'a,,c\n1,2,3\n');
    expect(await failure(csvLoader, { path: file }, `${file}:1:`)).toContain('column 2 of the header has no name');
    file = tmp('noheader.csv', '1,2.5,3\n4,5,6\n');
    expect(await failure(csvLoader, { path: file }, `${file}:1:`)).toContain('set header: false');
  });

  it('fails on an unclosed quote and on a value that does not fit a declared type', async () => {
    let file = tmp('quote.csv', 'a,b\n1,"open\n2,3\n');
    expect(await failure(csvLoader, { path: file }, `${file}:2:`)).toContain('never closed');
    file = tmp('typed.csv', 'a,b\n1,x\n2,oops\n');
    expect(await failure(csvLoader, { path: file, types: { a: 'number', b: 'boolean' } }, `${file}:2:`))
      .toContain(`column 'b' is declared types.b = 'boolean' but line 2 holds "x"`);
    expect(await failure(csvLoader, { path: file, types: { c: 'number' } }, 'Its columns are: a, b')).toContain("'c'");
  });
});

describe('loaders/json and loaders/ndjson', () => {
  it('loads an array of records: union of keys, nested objects flattened one level, ISO dates', async () => {
    const { table } = await runTask(jsonLoader, {}, { path: `${fixtures}/records.json` });
    expect(table.columnNames()).toEqual(['id', 'species', 'mass', 'when', 'site.island', 'site.plot', 'tagged']);
    expect(table.array('mass')).toEqual([3750, null, 3500.5]);
    expect(table.array('site.island')).toEqual(['Torgersen', null, null]);
    expect(table.array('tagged')).toEqual([null, null, true]);
    expect(table.array('when')[2]).toEqual(new Date('2020-01-03T00:00:00Z'));
    expect(roundTrip(table).numRows()).toBe(3);
  });

  it('loads penguins.json from vega-datasets', async () => {
    const { table } = await runTask(jsonLoader, {}, { path: 'node_modules/vega-datasets/data/penguins.json' });
    expect(table.numRows()).toBe(344);
    expect(table.columnNames()).toContain('Beak Length (mm)');
  });

  it('fails on bad JSON with the line, on a non-array, on arrays and deep objects in cells', async () => {
    let file = tmp('bad.json', '[\n  {"a": 1},\n  {"a": 2,}\n]\n');
    expect(await failure(jsonLoader, { path: file }, `${file}:3:`)).toContain('invalid JSON');
    file = tmp('object.json', '{"a": [1, 2]}');
    expect(await failure(jsonLoader, { path: file }, 'expected an array of records')).toContain('top-level value is object');
    file = tmp('array-cell.json', '[{"a": 1, "tags": ["x"]}]');
    expect(await failure(jsonLoader, { path: file }, "record 1: column 'tags' holds an array")).toBeTruthy();
    file = tmp('deep.json', '[{"a": {"b": {"c": 1}}}]');
    expect(await failure(jsonLoader, { path: file }, "column 'a.b' holds an object")).toBeTruthy();
  });

  it('reads a column that mixes types as text, with a warning (movies.json has a film titled 1776)', async () => {
    const ctx = makeContext();
    const { table } = await runTask(jsonLoader, {}, { path: 'node_modules/vega-datasets/data/movies.json' }, ctx);
    expect(table.array('Title')[21]).toBe('1776');
    expect(ctx.logs.join('\n')).toContain(`column 'Title' mixes types (record 1 holds a string "The Land Girls", record 22 holds a number 1776); reading it as text`);
  });

  it('loads NDJSON, skipping blank lines', async () => {
    const { table } = await runTask(ndjsonLoader, {}, { path: `${fixtures}/events.ndjson` });
    expect(table.numRows()).toBe(3);
    expect(table.array('ms')).toEqual([12, 340, null]);
    expect(table.array('user')).toEqual([null, 'u1', null]);
    expect(table.array('ts')[1]).toEqual(new Date('2024-05-01T12:00:01Z'));
  });

  it('fails on a bad NDJSON line and on a non-object line, naming the line', async () => {
    let file = tmp('bad.ndjson', '{"a": 1}\n\n{"a": 2\n');
    expect(await failure(ndjsonLoader, { path: file }, `${file}:3:`)).toContain('line 3 is not valid JSON');
    file = tmp('scalar.ndjson', '{"a": 1}\n42\n');
    expect(await failure(ndjsonLoader, { path: file }, `${file}:2:`)).toContain('line 2 is a number');
  });
});

describe('loaders/parquet and loaders/arrow', () => {
  const source = () => aqTable({
    n: [1.5, null, 3],
    s: ['x', 'y', null],
    b: [true, null, false],
    d: [new Date('2020-01-01T00:00:00Z'), null, new Date('2021-06-30T00:00:00Z')],
  });

  it('loads an Arrow IPC file and stream', async () => {
    for (const format of ['file', 'stream'] as const) {
      const file = tmp(`t.${format}.arrow`, toArrowIPC(source(), { format }) as Uint8Array);
      const { table } = await runTask(arrowLoader, {}, { path: file });
      expect(table.objects()).toEqual(source().objects());
    }
  });

  it('loads a Parquet file written with parquet-wasm', async () => {
    const wasm = createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
    initSync({ module: readFileSync(wasm) });
    const bytes = writeParquet(WasmTable.fromIPCStream(toArrowIPC(source(), { format: 'stream' }) as Uint8Array));
    const { table } = await runTask(parquetLoader, {}, { path: tmp('t.parquet', bytes) });
    expect(table.objects()).toEqual(source().objects());
    expect(roundTrip(table).objects()).toEqual(source().objects());
  });

  it('fails on files that are not Parquet or Arrow', async () => {
    const csv = `${fixtures}/people.csv`;
    await failure(parquetLoader, { path: csv }, 'not a Parquet file');
    await failure(parquetLoader, { path: tmp('cut.parquet', new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 0x50, 0x41, 0x52, 0x31])) }, 'cannot read Parquet');
    await failure(arrowLoader, { path: csv }, 'not a readable Arrow IPC file or stream');
    await failure(arrowLoader, { path: 'missing.arrow' }, 'file not found');
  });
});

describe('loaders/sqlite', () => {
  let dbFile: string;
  beforeAll(() => {
    dbFile = path.join(dir, 'shop.db');
    const db = new Database(dbFile);
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL, placed DATE, paid BOOLEAN);
      INSERT INTO orders VALUES (1, 'ann', 12.5, '2024-01-02', 1), (2, 'bob', NULL, '2024-01-03', 0), (3, NULL, 7, NULL, 1);
      CREATE TABLE messy (v); INSERT INTO messy VALUES (1), ('two');
      CREATE TABLE files (data BLOB); INSERT INTO files VALUES (x'0102');`);
    db.close();
  });

  it('loads a whole table, typing DATE and BOOLEAN columns', async () => {
    const { table } = await runTask(sqliteLoader, {}, { path: dbFile, table: 'orders' });
    expect(table.columnNames()).toEqual(['id', 'customer', 'total', 'placed', 'paid']);
    expect(table.array('total')).toEqual([12.5, null, 7]);
    expect(table.array('paid')).toEqual([true, false, true]);
    expect(table.array('placed')).toEqual([new Date('2024-01-02T00:00:00Z'), new Date('2024-01-03T00:00:00Z'), null]);
    expect(roundTrip(table).numRows()).toBe(3);
  });

  it('loads the rows of a query, keeping columns when no row matches', async () => {
    const { table } = await runTask(sqliteLoader, {}, { path: dbFile, query: 'SELECT customer, total * 2 AS doubled FROM orders WHERE total > 10' });
    expect(table.objects()).toEqual([{ customer: 'ann', doubled: 25 }]);
    const none = await runTask(sqliteLoader, {}, { path: dbFile, query: 'SELECT id FROM orders WHERE id > 99' });
    expect(none.table.columnNames()).toEqual(['id']);
    expect(none.table.numRows()).toBe(0);
  });

  it('reads a column holding two storage types as text, with a warning', async () => {
    const ctx = makeContext();
    const { table } = await runTask(sqliteLoader, {}, { path: dbFile, table: 'messy' }, ctx);
    expect(table.array('v')).toEqual(['1', 'two']);
    expect(ctx.logs.join('\n')).toContain("column 'v' mixes types (row 1 holds a number 1, row 2 holds a string \"two\")");
  });

  it('fails clearly: unknown table, bad query, writes, both or neither param, blobs, not a database', async () => {
    expect(await failure(sqliteLoader, { path: dbFile, table: 'order' }, "no table or view named 'order'")).toContain('files, messy, orders');
    await failure(sqliteLoader, { path: dbFile, query: 'SELEC 1' }, 'cannot run');
    await failure(sqliteLoader, { path: dbFile, query: 'DELETE FROM orders' }, /does not return rows|readonly/);
    // A param mistake, not bad data: a ValidationError that is not a DataError.
    const paramMistake = await runTask(sqliteLoader, {}, { path: dbFile }).then(() => undefined, (e: unknown) => e);
    expect(paramMistake).toBeInstanceOf(ValidationError);
    expect(paramMistake).not.toBeInstanceOf(DataError);
    expect((paramMistake as Error).message).toContain('exactly one of');
    await failure(sqliteLoader, { path: dbFile, table: 'files' }, "column 'data' holds a BLOB");
    await failure(sqliteLoader, { path: `${fixtures}/people.csv`, table: 'x' }, /not a database|cannot read as SQLite/);
    await failure(sqliteLoader, { path: 'nope.db', table: 'x' }, 'file not found');
  });
});
