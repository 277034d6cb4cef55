import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { table as aqTable, toArrowIPC } from 'arquero';
import { Compression, initSync, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/esm';
import { createRequire } from 'node:module';
import { DataError } from '../../core/index.ts';
import { arrowLoader } from '../../plugins/loaders/arrow.ts';
import { csvLoader } from '../../plugins/loaders/csv.ts';
import { jsonLoader } from '../../plugins/loaders/json.ts';
import { ndjsonLoader } from '../../plugins/loaders/ndjson.ts';
import { parquetLoader } from '../../plugins/loaders/parquet.ts';
import { sqliteLoader } from '../../plugins/loaders/sqlite.ts';
import { tsvLoader } from '../../plugins/loaders/tsv.ts';
import { readBounded } from '../../plugins/loaders/_files.ts';
import { formatBytes, inputLimit } from '../../plugins/loaders/_input-limit.ts';
import { firstJsonError, locateJsonError } from '../../plugins/json-error.ts';
import { spawnCli, newHome, type CliResult } from '../integration/cli-harness.ts';
import { runTask } from '../helpers/task-context.ts';

let dir: string;
const tmp = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

/** Runs a loader expecting a DataError naming the file; returns the message. */
async function refusal(task: Parameters<typeof runTask>[0], params: Record<string, unknown>): Promise<string> {
  const err = await runTask(task, {}, params).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  const message = (err as Error).message;
  expect(message).toContain(String(params.path));
  return message;
}

/** Every file loader, with the params that make it read `file`. */
const loaders = [
  ['loaders/csv', csvLoader, (file: string) => ({ path: file })],
  ['loaders/tsv', tsvLoader, (file: string) => ({ path: file })],
  ['loaders/json', jsonLoader, (file: string) => ({ path: file })],
  ['loaders/ndjson', ndjsonLoader, (file: string) => ({ path: file })],
  ['loaders/parquet', parquetLoader, (file: string) => ({ path: file })],
  ['loaders/arrow', arrowLoader, (file: string) => ({ path: file })],
  ['loaders/sqlite', sqliteLoader, (file: string) => ({ path: file, table: 't' })],
] as const;

let fifo: string;
let socketPath: string;
let server: Server;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlcycle-loader-res-'));
  fifo = path.join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  socketPath = path.join(dir, 'socket.csv');
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  mkdirSync(path.join(dir, 'folder.csv'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const savedLimit = process.env.MLCYCLE_MAX_INPUT_BYTES;
afterEach(() => {
  if (savedLimit === undefined) delete process.env.MLCYCLE_MAX_INPUT_BYTES;
  else process.env.MLCYCLE_MAX_INPUT_BYTES = savedLimit;
});

describe('every loader refuses what is not a regular file, before reading a byte', () => {
  const kinds = () => [
    ['a FIFO (named pipe)', fifo],
    ['a character device', '/dev/zero'],
    ['a socket', socketPath],
    ['a directory', path.join(dir, 'folder.csv')],
  ] as const;

  for (const [name, task, params] of loaders) {
    it(`${name}: FIFO, /dev/zero, socket and directory`, async () => {
      for (const [kind, file] of kinds()) {
        const message = await refusal(task, params(file));
        expect(message).toContain(`is ${kind}`);
        expect(message).toContain('not a regular file');
      }
      // Nobody holds the FIFO open for reading: a non-blocking writer finds no reader (ENXIO).
      // Had a loader opened it, it would be blocked in open() and this open would succeed.
      expect(() => closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))).toThrow(expect.objectContaining({ code: 'ENXIO' }));
    });
  }

  it('a symbolic link to a regular file still loads (only the target kind matters)', async () => {
    const target = tmp('real.csv', 'a,b\n1,2\n');
    const link = path.join(dir, 'link.csv');
    execFileSync('ln', ['-s', target, link]);
    const { table } = await runTask(csvLoader, {}, { path: link });
    expect(table.array('b')).toEqual([2]);
  });
});

describe('loaders bound what they read (MLCYCLE_MAX_INPUT_BYTES)', () => {
  it('parses the limit: bytes, K/M/G/T suffixes in powers of 1024; refuses nonsense', () => {
    expect(inputLimit({})).toEqual({ bytes: 2 * 1024 ** 3, source: 'the default' });
    expect(inputLimit({ MLCYCLE_MAX_INPUT_BYTES: '512M' }).bytes).toBe(512 * 1024 ** 2);
    expect(inputLimit({ MLCYCLE_MAX_INPUT_BYTES: '4GiB' }).bytes).toBe(4 * 1024 ** 3 - 1); // one Buffer holds 4 GiB - 1 on Node 20
    expect(inputLimit({ MLCYCLE_MAX_INPUT_BYTES: '1.5k' }).bytes).toBe(1536);
    expect(inputLimit({ MLCYCLE_MAX_INPUT_BYTES: ' 100 ' })).toEqual({ bytes: 100, source: 'MLCYCLE_MAX_INPUT_BYTES=100' });
    for (const bad of ['lots', '0', '-5', '1e400', 'Infinity', 'NaN', '12 parsecs']) {
      expect(() => inputLimit({ MLCYCLE_MAX_INPUT_BYTES: bad })).toThrow(/MLCYCLE_MAX_INPUT_BYTES=.* is not a size/);
    }
    expect(formatBytes(3.1 * 1024 ** 3)).toBe('3.1 GiB');
    expect(formatBytes(200)).toBe('200 B');
  });

  it('every file loader refuses a file over the limit, and reads one exactly at it', async () => {
    const csv = 'name,value\n' + Array.from({ length: 20 }, (_, i) => `row${i},${i}\n`).join('');
    const files: Record<string, string> = {
      'loaders/csv': tmp('big.csv', csv),
      'loaders/tsv': tmp('big.tsv', csv.replace(/,/g, '\t')),
      'loaders/json': tmp('big.json', JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ name: `row${i}`, value: i })))),
      'loaders/ndjson': tmp('big.ndjson', Array.from({ length: 20 }, (_, i) => JSON.stringify({ name: `row${i}`, value: i })).join('\n')),
      'loaders/arrow': tmp('big.arrow', toArrowIPC(aqTable({ value: Array.from({ length: 50 }, (_, i) => i) }), { format: 'file' })),
      'loaders/parquet': tmp('big.parquet', parquetBytes(50, 'none')),
    };
    for (const [name, task, params] of loaders) {
      if (name === 'loaders/sqlite') continue; // bounded by rows, below
      const file = files[name];
      const size = readFileSync(file).length;
      process.env.MLCYCLE_MAX_INPUT_BYTES = String(size - 1);
      const message = await refusal(task, params(file));
      expect(message).toContain(`file is ${formatBytes(size)}, over the ${formatBytes(size - 1)} input limit (MLCYCLE_MAX_INPUT_BYTES=${size - 1})`);
      expect(message).toContain('Raise MLCYCLE_MAX_INPUT_BYTES (e.g. MLCYCLE_MAX_INPUT_BYTES=');
      process.env.MLCYCLE_MAX_INPUT_BYTES = String(size);
      const { table } = await runTask(task, {}, params(file));
      expect(table.numRows()).toBe(name === 'loaders/arrow' || name === 'loaders/parquet' ? 50 : 20);
    }
  });

  it('a file that grows while read is read on, but never past limit + 1 bytes', async () => {
    const file = tmp('growing.csv', 'x\n'.repeat(5000)); // 10,000 bytes
    const handle = await open(file, 'r');
    let read = 0;
    // fstat said 100 bytes (the file grew since): the reader must notice and go on to the real end...
    const counting = { read: async (...args: Parameters<FileHandle['read']>) => { const r = await handle.read(...args); read += r.bytesRead; return r; } } as Pick<FileHandle, 'read'>;
    try {
      const bytes = await readBounded(counting, 100, { bytes: 20_000, source: 'test' }, file);
      expect(bytes.length).toBe(10_000);
      expect(Buffer.from(bytes).toString()).toBe('x\n'.repeat(5000));
      // ...and with a limit below its size, stop at limit + 1 bytes read.
      read = 0;
      await expect(readBounded(counting, 100, { bytes: 4000, source: 'MLCYCLE_MAX_INPUT_BYTES=4000' }, file))
        .rejects.toThrow(`${file}: file grew while it was read, over the 3.9 KiB input limit (MLCYCLE_MAX_INPUT_BYTES=4000)`);
      expect(read).toBe(4001);
    } finally {
      await handle.close();
    }
  });

  it('loaders/parquet refuses a file whose columns decompress past the limit (a thousandfold is easy)', async () => {
    const file = tmp('bomb.parquet', parquetBytes(200_000, 'zstd'));
    const size = readFileSync(file).length;
    expect(size).toBeLessThan(20_000);
    process.env.MLCYCLE_MAX_INPUT_BYTES = '1M';
    const message = await refusal(parquetLoader, { path: file });
    expect(message).toMatch(/file decompresses to [\d.]+ MiB of columns, over the 1 MiB input limit \(MLCYCLE_MAX_INPUT_BYTES=1M\)/);
  });

  it('loaders/sqlite holds the rows a query returns to the limit (a recursive query never ends)', async () => {
    const file = path.join(dir, 'small.db');
    const db = new Database(file);
    db.exec("CREATE TABLE t(x INTEGER, s TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
    db.close();
    process.env.MLCYCLE_MAX_INPUT_BYTES = '64K';
    const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';
    const message = await refusal(sqliteLoader, { path: file, query: endless });
    // 8 bytes a number: the 8193rd row passes 64 KiB.
    expect(message).toContain("the query's rows passed 64 KiB at row 8193, over the 64 KiB input limit (MLCYCLE_MAX_INPUT_BYTES=64K)");
    const { table } = await runTask(sqliteLoader, {}, { path: file, table: 't' });
    expect(table.array('s')).toEqual(['a', 'b']);
  });

  it('text past what one JavaScript string holds fails clearly (latin1 decoding used to abort the process)', async () => {
    // A sparse file: 540 MB of zero bytes that take no disk; just over V8's 536,870,888-character string cap.
    const file = path.join(dir, 'huge.csv');
    writeFileSync(file, 'a\n');
    truncateSync(file, 540 * 1024 * 1024);
    for (const encoding of ['latin1', 'utf-8']) {
      const message = await refusal(csvLoader, { path: file, encoding });
      expect(message).toContain('file is 540 MiB: too large to read as text');
      expect(message).toContain('Convert it to Parquet or Arrow');
    }
    rmSync(file);
  }, 60_000);
});

describe('JSON errors name the right line and column, for every V8 message form', () => {
  it('a problem on line 1 of a 26-line file is reported on line 1 (it was line 26)', async () => {
    const file = tmp('quotes.json', "[{'a': 1},\n" + '{"a": 2},\n'.repeat(24) + '{"a": 3}]\n');
    const message = await refusal(jsonLoader, { path: file });
    expect(message).toContain(`${file}:1: invalid JSON at line 1 column 3: Expected property name or '}', near \`[{'a': 1},\``);
  });

  it('an unexpected token (V8 gives no position) is found by scanning: line 3, column 9', async () => {
    const file = tmp('token.json', '[\n  {"a": 1},\n  {"a": x}\n]\n');
    const message = await refusal(jsonLoader, { path: file });
    expect(message).toContain(`${file}:3: invalid JSON at line 3 column 9: Unexpected token 'x', near \`  {"a": x}\``);
  });

  it('a trailing comma deeper in the file; and the end of input points after the last content', async () => {
    let file = tmp('comma.json', '[\n  {"a": 1},\n  {"a": 2,}\n]\n');
    expect(await refusal(jsonLoader, { path: file })).toContain(`${file}:3: invalid JSON at line 3 column 11: Expected double-quoted property name`);
    file = tmp('cut.json', '[\n  {"a": 1},\n  {"a": 2}\n\n\n');
    expect(await refusal(jsonLoader, { path: file }))
      .toContain(`${file}:3: invalid JSON at line 3 column 11: Expected ',' or ']' after array element (the file ends there)`);
    file = tmp('open.json', '[\n  {"a": 1},\n  {"a": "unterminated\n');
    expect(await refusal(jsonLoader, { path: file })).toContain(`${file}:3: invalid JSON at line 3 column 22: Bad control character in string literal, near \`  {"a": "unterminated\``);
  });

  it('ndjson: the record\'s own line and column; a long line is quoted only in part', async () => {
    const file = tmp('bad.ndjson', '{"a": 1}\n\n{"a": 2, oops: 3, "pad": "' + 'q'.repeat(100_000) + '"}\n');
    const message = await refusal(ndjsonLoader, { path: file });
    expect(message).toContain(`${file}:3: line 3 is not valid JSON at column 10: Expected double-quoted property name, near \`{"a": 2, oops: 3, "pad": "qqq…\``);
    expect(message.length).toBeLessThan(400);
  });

  it('the JSON error never quotes more than a short snippet of the file', async () => {
    const file = tmp('long.json', '[' + '1, '.repeat(50_000) + 'SECRET' + ', 2'.repeat(50_000) + ']');
    const message = await refusal(jsonLoader, { path: file });
    expect(message).toContain("Unexpected token 'S'");
    expect(message.length).toBeLessThan(400);
  });

  it('locateJsonError reads each message form: position, (line column), end of input, none', () => {
    const text = '[\n  {"a": 1,\n   "b" 2}\n]';
    const at = (message: string) => {
      const { line, column, reason } = locateJsonError(text, new SyntaxError(message));
      return { line, column, reason };
    };
    expect(at("Expected ':' after property name in JSON at position 20")).toEqual({ line: 3, column: 8, reason: "Expected ':' after property name" });
    expect(at("Expected ':' after property name in JSON at position 20 (line 3 column 8)")).toEqual({ line: 3, column: 8, reason: "Expected ':' after property name" });
    expect(at("Unexpected token '2', ...\"   \"b\" 2}\n]\"... is not valid JSON")).toEqual({ line: 3, column: 8, reason: "Unexpected token '2'" });
    expect(at('Unexpected end of JSON input')).toEqual({ line: 4, column: 2, reason: 'Unexpected end of JSON input' });
    expect(at('something a future V8 says')).toEqual({ line: 3, column: 8, reason: 'something a future V8 says' });
    // Whatever the message, a real JSON.parse error of this text is placed the same way.
    let real: Error | undefined;
    try { JSON.parse(text); } catch (e) { real = e as Error; }
    expect(locateJsonError(text, real!)).toMatchObject({ line: 3, column: 8 });
  });

  it('the scanner agrees with every position V8 reports, over 5,000 mutations of penguins.json', () => {
    const base = readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8').slice(0, 2000).replace(/,\s*\{[^{]*$/, ']');
    expect(firstJsonError(base)).toBe(-1);
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const alphabet = '{}[],:"\\ \n0-1.eE+tfnulx\u0001é';
    let checked = 0;
    for (let t = 0; t < 5000; t++) {
      let s = base;
      const at = rnd(s.length);
      const op = rnd(3);
      const ch = alphabet[rnd(alphabet.length)];
      s = op === 0 ? s.slice(0, at) + s.slice(at + 1) : op === 1 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
      let message: string | undefined;
      try { JSON.parse(s); } catch (e) { message = (e as Error).message; }
      const mine = firstJsonError(s);
      if (message === undefined) { expect(mine).toBe(-1); continue; }
      const pos = /at position (\d+)/.exec(message);
      const token = /^Unexpected token '(.)'/su.exec(message);
      if (pos) expect(mine).toBe(Number(pos[1]));
      else if (token) expect(s[mine]).toBe(token[1]);
      else expect(mine).toBe(s.length); // Unexpected end of JSON input
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('through the CLI', () => {
  it('run dags/penguins.ts --param data=/dev/zero exits 2 at once, saying it is not a regular file', async () => {
    const r = await guardedCli(['run', 'dags/penguins.ts', '--param', 'data=/dev/zero', '--home', newHome()]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('/dev/zero');
    expect(r.stdout + r.stderr).toMatch(/not a regular file/);
  }, 90_000);

  it('a data file over MLCYCLE_MAX_INPUT_BYTES fails the load node with exit 2 and the fix', async () => {
    const r = await guardedCli(['run', 'dags/penguins.ts', '--home', newHome()], { MLCYCLE_MAX_INPUT_BYTES: '10K' });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('penguins.json: file is 65.5 KiB, over the 10 KiB input limit (MLCYCLE_MAX_INPUT_BYTES=10K). Raise MLCYCLE_MAX_INPUT_BYTES (e.g. MLCYCLE_MAX_INPUT_BYTES=66K)');
  }, 90_000);
});

/** Parquet bytes of `rows` copies of one value and one string: tiny compressed, large decoded. */
function parquetBytes(rows: number, compression: 'none' | 'zstd'): Uint8Array {
  initSync({ module: readFileSync(createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  const t = aqTable({ value: Array.from({ length: rows }, () => 1.5), label: Array.from({ length: rows }, () => 'same') });
  const props = new WriterPropertiesBuilder().setCompression(compression === 'zstd' ? Compression.ZSTD : Compression.UNCOMPRESSED).build();
  return writeParquet(WasmTable.fromIPCStream(toArrowIPC(t, { format: 'stream' })), props);
}

/**
 * Runs the CLI but kills it (by its pid) if it passes 1.5 GB of memory or 60 s: the failure this
 * suite guards against is a process that reads /dev/zero until the machine runs out of memory.
 */
async function guardedCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, { env });
  let why = '';
  const started = Date.now();
  const timer = setInterval(() => {
    let rssKb = 0;
    try { rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0); } catch { /* exited */ }
    if (rssKb > 1.5e6 || Date.now() - started > 60_000) {
      why = rssKb > 1.5e6 ? `killed at ${rssKb} kB of memory` : 'killed after 60 s';
      child.kill('SIGKILL');
    }
  }, 100);
  try {
    const r = await child.result;
    if (why) throw new Error(`the CLI was ${why}; output so far:\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
    return r;
  } finally {
    clearInterval(timer);
  }
}
