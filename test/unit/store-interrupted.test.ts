/**
 * Run records that end true: runs whose process died are found and marked interrupted when the
 * store opens (real child processes killed with SIGKILL), a process that exits mid-run ends its
 * record itself, a batch lost to a full disk (real ENOSPC on a small tmpfs) never leaves a node
 * running inside an ended run, and a read-only open shows the same verdict without writing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RunEvent } from '../../core/index.ts';
import { migrations } from '../../core/store/migrations.ts';
import { sqliteBuilder } from '../../core/store/query-builder.ts';
import { currentOwner, STALE_HEARTBEAT_MS } from '../../core/store/run-owner.ts';
import { openRunStore } from '../../core/store/sqlite-store.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A child process that records through the real store, then does what `ACTION` says. */
const childScript = (action: 'wait' | 'exit' | 'fill') => `
import { closeSync, openSync, writeSync } from 'node:fs';
import { createJiti } from ${JSON.stringify(join(root, 'node_modules/jiti/lib/jiti.mjs'))};
const jiti = createJiti(import.meta.url, { fsCache: false });
const { openRunStore } = await jiti.import(${JSON.stringify(join(root, 'core/store/sqlite-store.ts'))});
const store = openRunStore(process.env.STORE_FILE);
const runId = 'child-run';
store.record({ type: 'run-started', runId, at: Date.now(), dag: 'd', params: {}, nodeCount: 3, executor: 'inprocess', concurrency: 1 });
store.record({ type: 'node-started', runId, at: Date.now(), node: 'a', task: 't/t', key: 'ka', attempt: 1 });
store.record({ type: 'node-succeeded', runId, at: Date.now(), node: 'a', task: 't/t', key: 'ka', attempts: 1, durationMs: 1, outputs: {}, inputs: {} });
store.record({ type: 'node-started', runId, at: Date.now(), node: 'b', task: 't/t', key: 'kb', attempt: 1 });
store.flush();
if (${JSON.stringify(action)} === 'exit') process.exit(130);
if (${JSON.stringify(action)} === 'fill') {
  const fd = openSync(process.env.FILLER, 'w');
  try { for (;;) writeSync(fd, Buffer.alloc(4096)); } catch {}
  closeSync(fd);
  const big = 'x'.repeat(20000);
  for (let i = 0; i < 10; i++) store.record({ type: 'node-log', runId, at: Date.now(), node: 'b', level: 'info', message: big });
  store.record({ type: 'node-succeeded', runId, at: Date.now(), node: 'b', task: 't/t', key: 'kb', attempts: 1, durationMs: 1, outputs: {}, inputs: {} });
  try { store.flush(); } catch (err) { process.stdout.write('lost: ' + err.message + '\\n'); }
  try { store.record({ type: 'run-finished', runId, at: Date.now(), status: 'succeeded', durationMs: 3 }); } catch (err) { process.stdout.write('final: ' + err.message + '\\n'); }
  try { store.close(); } catch {}
  process.exit(0);
}
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-int-'));
  file = join(dir, 'mlcycle.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runChild(action: 'wait' | 'exit' | 'fill', env: Record<string, string> = {}) {
  const script = join(dir, `child-${action}.mjs`);
  writeFileSync(script, childScript(action));
  return spawn(process.execPath, [script], { env: { ...process.env, STORE_FILE: file, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

const readLine = (child: ReturnType<typeof spawn>) => new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.includes('\n')) resolve(out);
  });
  child.on('error', reject);
  child.on('close', () => resolve(out));
});

const exited = (child: ReturnType<typeof spawn>) => new Promise<void>((resolve) => child.on('close', () => resolve()));

/** The rows as the file holds them, read past the store (no reaping, no overlay). */
function raw(): { runs: any[]; nodes: any[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      runs: db.prepare('select id, status, finished_at, error from runs order by id').all(),
      nodes: db.prepare('select node, status, finished_at, error from node_runs order by node').all(),
    };
  } finally {
    db.close();
  }
}

const started = (runId: string, at = Date.now()): RunEvent =>
  ({ type: 'run-started', runId, at, dag: 'd', params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 });

describe('dead runs: found when the store opens', () => {
  it('marks a run whose process was killed with SIGKILL interrupted, with its running node, and keeps finished nodes', async () => {
    const child = runChild('wait');
    expect(await readLine(child)).toBe('ready\n');
    const pid = child.pid!;
    // A live owner is left alone.
    const live = openRunStore(file);
    expect(live.getRun('child-run')?.status).toBe('running');
    live.close();
    child.kill('SIGKILL');
    await exited(child);
    expect(raw().runs[0].status).toBe('running'); // nothing has looked yet

    const store = openRunStore(file);
    try {
      const run = store.getRun('child-run')!;
      expect(run.status).toBe('interrupted');
      expect(run.error).toContain(`process ${pid} on ${currentOwner().host} is no longer running`);
      expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt);
      const nodes = store.nodeRuns('child-run');
      expect(nodes.map((n) => [n.node, n.status])).toEqual([['a', 'succeeded'], ['b', 'interrupted']]);
      expect(nodes[1].error).toMatchObject({ code: 'INTERRUPTED', retryable: true });
      expect(nodes[1].finishedAt).not.toBeNull();
    } finally {
      store.close();
    }
    expect(raw().runs[0].status).toBe('interrupted'); // recorded, not only shown
  });

  it('ends the record itself when the process exits mid-run (a second Ctrl-C)', async () => {
    await exited(runChild('exit'));
    const { runs, nodes } = raw();
    expect(runs[0]).toMatchObject({ status: 'interrupted' });
    expect(runs[0].error).toContain('the process exited before the run finished');
    expect(nodes.map((n) => [n.node, n.status])).toEqual([['a', 'succeeded'], ['b', 'interrupted']]);
  });

  describe('owners that look alive but are not, and the reverse', () => {
    const recordRun = (id: string) => {
      const s = openRunStore(file);
      s.record(started(id));
      s.record({ type: 'node-started', runId: id, at: Date.now(), node: 'n', task: 't/t', key: 'k', attempt: 1 });
      // Closing ends the run (this process owns it); setOwner below puts it back as running.
      s.close();
      return id;
    };
    const setOwner = (id: string, cols: Record<string, unknown>) => {
      const db = new Database(file);
      // Every sign of life (run start, node start, heartbeat) at the heartbeat's time.
      db.prepare('update runs set status = \'running\', finished_at = null, error = null, owner_host = @owner_host, owner_pid = @owner_pid, owner_token = @owner_token, heartbeat_at = @heartbeat_at, started_at = @heartbeat_at where id = @id')
        .run({ id, owner_host: null, owner_pid: null, owner_token: null, heartbeat_at: null, ...cols });
      db.prepare("update node_runs set status = 'running', finished_at = null, duration_ms = null, error = null, started_at = ? where run_id = ?").run(cols.heartbeat_at, id);
      db.close();
    };
    const statusAfterOpen = (id: string) => {
      const s = openRunStore(file);
      try {
        return { run: s.getRun(id)!, node: s.nodeRuns(id)[0] };
      } finally {
        s.close();
      }
    };
    const me = currentOwner();

    it('a reused pid (alive, but started at another time) is dead', () => {
      if (me.token === null) return console.log('skipped: no /proc here, so no process start times');
      const id = recordRun('reused');
      setOwner(id, { owner_host: me.host, owner_pid: process.pid, owner_token: `${me.token.split('/')[0]}/1`, heartbeat_at: Date.now() });
      const { run, node } = statusAfterOpen(id);
      expect(run.status).toBe('interrupted');
      expect(run.error).toContain('its pid now belongs to another process');
      expect(node.status).toBe('interrupted');
    });

    it('an owner from an earlier boot of this machine is dead', () => {
      if (me.token === null) return console.log('skipped: no /proc here, so no boot id');
      const id = recordRun('old-boot');
      setOwner(id, { owner_host: me.host, owner_pid: process.pid, owner_token: 'another-boot/123', heartbeat_at: Date.now() });
      expect(statusAfterOpen(id).run.error).toContain('belonged to an earlier boot');
    });

    it('another host: dead only after a long silence; a fresh heartbeat keeps it running', () => {
      const id = recordRun('elsewhere');
      setOwner(id, { owner_host: 'another-host', owner_pid: process.pid, owner_token: 'x/1', heartbeat_at: Date.now() - 60_000 });
      expect(statusAfterOpen(id)).toMatchObject({ run: { status: 'running' }, node: { status: 'running' } });
      const silentSince = Date.now() - STALE_HEARTBEAT_MS - 60_000;
      setOwner(id, { owner_host: 'another-host', owner_pid: process.pid, owner_token: 'x/1', heartbeat_at: silentSince });
      const { run, node } = statusAfterOpen(id);
      expect(run.status).toBe('interrupted');
      expect(run.error).toContain('no sign of life from process');
      // Its end is when it was last seen alive, not when someone noticed.
      expect(run.finishedAt).toBeLessThan(Date.now() - STALE_HEARTBEAT_MS);
      expect(node.status).toBe('interrupted');
    });

    it('this very process is alive', () => {
      const id = recordRun('mine');
      setOwner(id, { owner_host: me.host, owner_pid: me.pid, owner_token: me.token, heartbeat_at: Date.now() });
      expect(statusAfterOpen(id).run.status).toBe('running');
    });
  });

  it('a read-only open shows a dead run as interrupted without writing anything', async () => {
    const child = runChild('wait');
    await readLine(child);
    child.kill('SIGKILL');
    await exited(child);
    const store = openRunStore(file, { readOnly: true });
    try {
      expect(store.readOnly).toBe(true);
      expect(store.getRun('child-run')?.status).toBe('interrupted');
      expect(store.listRuns()[0].status).toBe('interrupted');
      expect(store.nodeRuns('child-run').map((n) => n.status)).toEqual(['succeeded', 'interrupted']);
      expect(() => store.record(started('x'))).toThrow(/the workspace store .* is read-only/);
    } finally {
      store.close();
    }
    expect(raw().runs[0].status).toBe('running');
  });

  it('migration 3 repairs records older versions left inconsistent (a node running in a failed run)', () => {
    const db = new Database(file);
    for (const migration of migrations.slice(0, 2)) {
      for (const step of migration(sqliteBuilder)) {
        const { sql, parameters } = step.compile();
        db.prepare(sql).run(...parameters);
      }
    }
    db.pragma('user_version = 2');
    db.prepare("insert into runs (id, dag, status, params, executor, started_at, finished_at, node_count) values ('old', 'd', 'failed', '{}', 'inprocess', 1, 5, 2)").run();
    db.prepare("insert into node_runs (run_id, node, task, status, started_at) values ('old', 'a', 't', 'running', 2), ('old', 'b', 't', 'failed', 2)").run();
    db.close();
    const store = openRunStore(file);
    try {
      expect(store.nodeRuns('old').map((n) => [n.node, n.status, n.finishedAt])).toEqual([['a', 'interrupted', 5], ['b', 'failed', null]]);
    } finally {
      store.close();
    }
  });
});

describe('a batch lost to a full disk (real ENOSPC on a small tmpfs)', () => {
  // Mounted in beforeAll (not at collection), so a run that filters these tests out mounts nothing.
  let mnt = '';
  let mounted = false;
  beforeAll(() => {
    mnt = mkdtempSync(join(tmpdir(), 'mlcycle-enospc-'));
    mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt]).status === 0;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  const skipped = () => {
    if (!mounted) console.log(`skipped: cannot mount a tmpfs on ${mnt} (needs root), so no real ENOSPC`);
    return !mounted;
  };
  const onTmpfs = (name: string) => {
    const home = join(mnt, name);
    mkdirSync(home);
    return { db: join(home, 'mlcycle.db'), filler: join(home, 'filler') };
  };
  const fill = (path: string) => {
    const fd = openSync(path, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(4096));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
  };

  it('the run ends failed, saying what was lost, and no node stays running', () => {
    if (skipped()) return;
    const paths = onTmpfs('freed');
    const store = openRunStore(paths.db);
    store.record(started('r'));
    store.record({ type: 'node-started', runId: 'r', at: Date.now(), node: 'a', task: 't/t', key: 'ka', attempt: 1 });
    store.flush();
    fill(paths.filler);
    for (let i = 0; i < 10; i++) store.record({ type: 'node-log', runId: 'r', at: Date.now(), node: 'a', level: 'info', message: 'x'.repeat(20_000) });
    store.record({ type: 'node-succeeded', runId: 'r', at: Date.now(), node: 'a', task: 't/t', key: 'ka', attempts: 1, durationMs: 1, outputs: {}, inputs: {} });
    expect(() => store.flush()).toThrow(/database or disk is full\. The disk holding it is full: free space/);
    unlinkSync(paths.filler);
    store.record({ type: 'run-finished', runId: 'r', at: Date.now(), status: 'succeeded', durationMs: 2 });
    const run = store.getRun('r')!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/part of this run's record was lost \(could not write 11 rows .*database or disk is full\)/);
    expect(store.nodeRuns('r').map((n) => [n.node, n.status])).toEqual([['a', 'interrupted']]);
    store.close();
  });

  it('when even the final write fails, the next open marks the run interrupted', async () => {
    if (skipped()) return;
    const paths = onTmpfs('full');
    file = paths.db;
    const child = runChild('fill', { FILLER: paths.filler });
    const out = await readLine(child);
    await exited(child);
    expect(out).toContain('lost: RunStore.flush: could not write');
    expect(raw().runs[0].status).toBe('running'); // the disk was full to the end
    unlinkSync(paths.filler);
    const store = openRunStore(paths.db);
    try {
      expect(store.getRun('child-run')?.status).toBe('interrupted');
      expect(store.nodeRuns('child-run').map((n) => [n.node, n.status])).toEqual([['a', 'succeeded'], ['b', 'interrupted']]);
    } finally {
      store.close();
    }
  });
});
