import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MlcycleError } from '../../core/index.ts';
import { migrations } from '../../core/store/migrations.ts';
import { openRunStore } from '../../core/store/sqlite-store.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-mig-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const inspect = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      tables: (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name),
    };
  } finally {
    db.close();
  }
};

describe('openRunStore: schema and migrations', () => {
  it('creates every table in WAL mode and records the schema version', () => {
    const file = join(dir, 'a', 'b', 'mlcycle.db');
    openRunStore(file).close();
    expect(inspect(file)).toEqual({
      version: migrations.length,
      journal: 'wal',
      tables: ['artifacts', 'cache_entries', 'lineage', 'logs', 'metrics', 'model_alias_history', 'model_aliases', 'model_tags', 'model_versions', 'node_runs', 'runs', 'studies', 'trial_values', 'trials'],
    });
  });

  it('reopens an existing store without re-applying migrations or losing data', () => {
    const file = join(dir, 'mlcycle.db');
    const first = openRunStore(file);
    first.record({ type: 'run-started', runId: 'r1', at: 1, dag: 'd', params: { n: 1 }, nodeCount: 2, executor: 'inprocess', concurrency: 1 });
    first.close();
    // Re-running the initial CREATE TABLEs would throw "table runs already exists".
    for (let i = 0; i < 2; i++) {
      const again = openRunStore(file);
      expect(again.listRuns().map((r) => [r.id, r.params])).toEqual([['r1', { n: 1 }]]);
      again.close();
    }
    expect(inspect(file).version).toBe(migrations.length);
  });

  it('refuses a store made by a newer mlcycle, saying what to do', () => {
    const file = join(dir, 'mlcycle.db');
    openRunStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openRunStore(file)).toThrow(MlcycleError);
    expect(() => openRunStore(file)).toThrow(
      `schema version ${migrations.length + 1}, newer than this mlcycle knows (${migrations.length}); upgrade mlcycle`,
    );
  });

  it('wraps a file that is not a database in an MlcycleError that names it', () => {
    const file = join(dir, 'mlcycle.db');
    writeFileSync(file, 'this is not sqlite, just text long enough to fill a header page '.repeat(20));
    let caught: unknown;
    try { openRunStore(file); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(MlcycleError);
    expect((caught as Error).message).toContain(file);
    expect((caught as Error).cause).toBeDefined();
  });
});
