/**
 * Class 2 of issue 7: a cache key must cover everything that can change a result — the bytes a task
 * really reads (a SQLite WAL), code however it is loaded, and the environment. Real files, a real
 * SQLite database in WAL mode with a second connection held open, the real engine.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dag, defineTask, DataError, Json, planDag, runDag, Table, Type, ValidationError } from '../../core/index.ts';
import { clearCodeDigestCache, codeDigest, taskCodeDigest } from '../../core/plan/code-digest.ts';
import { clearFileDigestCache, fileDigest } from '../../core/plan/file-digest.ts';
import { scanLoads } from '../../core/plan/scan-imports.ts';
import { sqliteLoader } from '../../plugins/loaders/sqlite.ts';
import { mlp } from '../../plugins/algorithms/mlp.ts';
import { predict } from '../../plugins/algorithms/predict.ts';
import { simdAvailable } from '../../plugins/algorithms/_mlp-simd.ts';
import { initTf } from '../../plugins/algorithms/_backend.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-keycov-'));
  clearFileDigestCache();
  clearCodeDigestCache();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const countRows = defineTask({
  name: 'probe/count-rows',
  version: 1,
  params: Type.Object({}),
  inputs: { table: Table },
  outputs: { rows: Json },
  run: ({ table }) => ({ rows: table.numRows() }),
});

describe('SQLite in WAL mode: the key covers the rows in the -wal file', () => {
  it('a commit that only reaches x.db-wal re-runs the loader, which sees the new rows', async () => {
    const file = join(dir, 'shop.db');
    const writer = new Database(file);
    try {
      writer.pragma('journal_mode = WAL');
      // No automatic checkpoint: the committed rows stay in the WAL, as on a busy database.
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL)');
      writer.exec('INSERT INTO orders (amount) VALUES (1), (2), (3)');
      const home = join(dir, 'home');
      const shop = dag('shop', (b) => {
        const load = b.add('load', sqliteLoader, {}, { path: file, table: 'orders' });
        return { rows: b.add('count', countRows, { table: load.table }).rows };
      });

      const first = await runDag(shop.build(), { home, executor: 'inprocess' }).done;
      expect(first.status).toBe('succeeded');
      expect(first.outputs.rows).toBe(3);

      const dbBefore = sha256(readFileSync(file));
      writer.exec('INSERT INTO orders (amount) VALUES (4), (5)');
      // The probe's situation: the database file is byte-identical, the rows are in the WAL.
      expect(sha256(readFileSync(file))).toBe(dbBefore);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);

      const second = await runDag(shop.build(), { home, executor: 'inprocess' }).done;
      expect(second.nodes.find((n) => n.id === 'load')!.cached).toBe(false);
      expect(second.outputs.rows).toBe(5);
      const third = await runDag(shop.build(), { home, executor: 'inprocess' }).done;
      expect(third.nodes.every((n) => n.cached)).toBe(true);
      expect(third.outputs.rows).toBe(5);
    } finally {
      writer.close();
    }
  });

  it('does not fail when the WAL vanishes (checkpointed and deleted by the last connection closing)', () => {
    const file = join(dir, 'x.db');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)');
    const withWal = fileDigest(file, dir);
    writer.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const after = fileDigest(file, dir);
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    // Without sidecars a SQLite file digests like any file: the plain sha256 of its bytes.
    expect(after).toBe(sha256(readFileSync(file)));
    expect(withWal).not.toBe(after);
  });
});

describe('file digests: streamed, regular files only', () => {
  it('refuses a FIFO without blocking, /dev/zero and a directory, naming the file', () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect(() => fileDigest('pipe.csv', dir)).toThrow(DataError);
    expect(() => fileDigest('pipe.csv', dir)).toThrow("file 'pipe.csv' is not a regular file (it is a FIFO (named pipe)");
    expect(() => fileDigest('/dev/zero', dir)).toThrow("file '/dev/zero' is not a regular file (it is a character device");
    mkdirSync(join(dir, 'folder'));
    expect(() => fileDigest('folder', dir)).toThrow("file 'folder' is not a regular file (it is a directory");
    expect(() => fileDigest('missing.csv', dir)).toThrow("file 'missing.csv' does not exist");
  });

  it('hashes a sparse file over 2 GiB (past readFileSync) to the sha256sum digest', () => {
    const big = join(dir, 'big.bin');
    execFileSync('truncate', ['-s', '2100M', big]);
    writeFileSync(big, 'mlcycle\n', { flag: 'a' });
    expect(statSync(big).size).toBe(2100 * 2 ** 20 + 8);
    // Golden from `truncate -s 2100M big && printf 'mlcycle\n' >> big && sha256sum big`.
    expect(fileDigest(big, dir)).toBe('10eaf0f298ba7102f297f551a2e93ceb6786f590792fab2230dbdc7f2ccabc14');
  }, 120_000);

  it('matches the plain sha256 of a small file, and sees an edit of the same size', () => {
    writeFileSync(join(dir, 'a.csv'), 'x\n1\n');
    expect(fileDigest('a.csv', dir)).toBe(sha256(Buffer.from('x\n1\n')));
    writeFileSync(join(dir, 'a.csv'), 'x\n2\n');
    expect(fileDigest('a.csv', dir)).toBe(sha256(Buffer.from('x\n2\n')));
  });
});

/** Writes files under the temp project; returns the URL of the first one. */
function project(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return pathToFileURL(join(dir, Object.keys(files)[0])).href;
}

describe('code however it is loaded', () => {
  it('scans require() made by createRequire under any name, import(), and new URL(…, import.meta.url)', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      'const load = createRequire(import.meta.url);',
      "const a = load('./a.cjs');",
      "const b = createRequire(import.meta.url)('./b.cjs');",
      "const where = createRequire(import.meta.url).resolve('pkg');",
      "const c = await import('./c.ts');",
      "const w = new URL('weights.bin', import.meta.url);",
      "const worker = new URL('./worker.mjs', import.meta.url);",
      "const NAME = './d.ts';",
      'const d = await import(NAME);',
      "const msg = 'call require(name) to load';",
    ].join('\n');
    const { specifiers, dynamic } = scanLoads(source);
    expect(specifiers).toEqual(expect.arrayContaining(['./a.cjs', './b.cjs', './c.ts', './weights.bin', './worker.mjs', './d.ts']));
    expect(specifiers).not.toContain('pkg');
    expect(dynamic).toEqual([]);
  });

  it('reports each computed load with its line', () => {
    const source = [
      "import { createRequire } from 'node:module';",
      'const req = createRequire(import.meta.url);',
      'const a = req(name);',
      'const b = require(`./plugins/${kind}.cjs`);',
      "const c = await import('./x/' + name);",
      'const d = new URL(file, import.meta.url);',
      'globalThis.r = createRequire(import.meta.url);',
    ].join('\n');
    expect(scanLoads(source).dynamic.map((d) => [d.line, d.code])).toEqual([
      [7, 'createRequire(import.meta.url)'],
      [3, 'req(name)'],
      [4, 'require(`./plugins/${kind}.cjs`)'],
      [5, "import('./x/' + name)"],
      [6, 'new URL(file, import.meta.url)'],
    ]);
  });

  it('an edit of a module loaded through createRequire, or of a file read via new URL, changes the digest', () => {
    const url = project({
      'task.ts': "import { createRequire } from 'node:module';\nconst req = createRequire(import.meta.url);\nexport const f = req('./helper.cjs');\nexport const w = new URL('./w.json', import.meta.url);\n",
      'helper.cjs': 'module.exports = 1;\n',
      'w.json': '{"w":1}\n',
    });
    const before = codeDigest(url);
    expect(Object.keys(before.files)).toEqual(['helper.cjs', 'task.ts', 'w.json']);
    writeFileSync(join(dir, 'helper.cjs'), 'module.exports = 2;\n');
    const afterHelper = codeDigest(url);
    expect(afterHelper.digest).not.toBe(before.digest);
    writeFileSync(join(dir, 'w.json'), '{"w":2}\n');
    expect(codeDigest(url).digest).not.toBe(afterHelper.digest);
  });

  it('refuses a task whose local imports load code by a computed name, until it declares codeFiles', () => {
    const url = project({
      'task.ts': "import { pick } from './loader.ts';\nexport const x = pick;\n",
      'loader.ts': "import { createRequire } from 'node:module';\nconst req = createRequire(import.meta.url);\nexport const pick = (kind: string) => req(`./plugins/${kind}.cjs`);\n",
      'plugins/a.cjs': 'module.exports = 1;\n',
    });
    const task = { name: 'probe/dynamic', ref: { moduleUrl: url } };
    expect(() => taskCodeDigest(task)).toThrow(ValidationError);
    expect(() => taskCodeDigest(task)).toThrow(
      "task 'probe/dynamic' loads code the cache key cannot follow: loader.ts:3: req(`./plugins/${kind}.cjs`) (req() with a computed specifier)",
    );
    expect(() => taskCodeDigest(task)).toThrow("defineTask's codeFiles");
    const declared = taskCodeDigest({ ...task, codeFiles: ['./plugins/a.cjs'] });
    expect(Object.keys(declared.files)).toEqual(['loader.ts', 'plugins/a.cjs', 'task.ts']);
    writeFileSync(join(dir, 'plugins/a.cjs'), 'module.exports = 2;\n');
    expect(taskCodeDigest({ ...task, codeFiles: ['./plugins/a.cjs'] }).digest).not.toBe(declared.digest);
    expect(() => taskCodeDigest({ ...task, codeFiles: ['./plugins/missing.cjs'] })).toThrow("codeFiles entry './plugins/missing.cjs'");
  });

  it('no built-in plugin or example DAG loads code the digest cannot follow', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const modules = ['plugins', 'dags'].flatMap((folder) =>
      (readdirSync(join(root, folder), { recursive: true }) as string[]).filter((f) => /\.(ts|mjs)$/.test(f)).map((f) => join(root, folder, f)));
    expect(modules.length).toBeGreaterThan(50);
    const refused = modules.filter((m) => codeDigest(pathToFileURL(m).href).dynamic.length > 0);
    expect(refused).toEqual([]);
    for (const t of [sqliteLoader, mlp, predict, countRows]) expect(taskCodeDigest(t).dynamic).toEqual([]);
  });
});

describe('environment that changes results is in the key', () => {
  it('a task declaring environment() gets another key when the environment changes', () => {
    const backendSensitive = defineTask({
      name: 'probe/env-sensitive',
      version: 1,
      params: Type.Object({}),
      inputs: {},
      outputs: { value: Json },
      environment: () => ({ backend: process.env.PROBE_BACKEND ?? 'cpu' }),
      run: () => ({ value: 1 }),
    });
    const d = dag('env', (b) => ({ value: b.add('t', backendSensitive, {}).value }));
    const home = join(dir, 'home');
    const keyNow = () => planDag(d.build(), { home })[0].key;
    process.env.PROBE_BACKEND = 'wasm';
    const wasm = keyNow();
    process.env.PROBE_BACKEND = 'tensorflow';
    const native = keyNow();
    delete process.env.PROBE_BACKEND;
    expect(wasm).toMatch(/^[0-9a-f]{64}$/);
    expect(native).not.toBe(wasm);
    process.env.PROBE_BACKEND = 'wasm';
    expect(keyNow()).toBe(wasm);
    delete process.env.PROBE_BACKEND;
  });

  it('refuses an environment() that returns non-strings', () => {
    const bad = defineTask({
      name: 'probe/env-bad',
      version: 1,
      params: Type.Object({}),
      inputs: {},
      outputs: { value: Json },
      environment: () => ({ threads: 4 as unknown as string }),
      run: () => ({ value: 1 }),
    });
    const entry = planDag(dag('bad', (b) => ({ v: b.add('t', bad, {}).value })).build(), { home: join(dir, 'home') })[0];
    expect(entry.reasons[0]).toBe("task 'probe/env-bad': environment() value 'threads' must be a string, got number");
  });

  it('mlp declares its kernel, predict its kernel and the tfjs backend that really loads', async () => {
    const kernel = simdAvailable() ? 'wasm-simd' : 'js';
    expect(mlp.environment!()).toEqual({ mlpKernel: kernel });
    const { backend } = await initTf();
    expect(predict.environment!()).toEqual({ tfjsBackend: backend, mlpKernel: kernel });
  }, 60_000);
});
