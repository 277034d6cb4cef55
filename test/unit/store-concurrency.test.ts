import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RunEvent, RunStore } from '../../core/index.ts';
import { openRunStore } from '../../core/store/sqlite-store.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS_PER_WRITER = 100;
const NODES_PER_RUN = 5;

/** A small run of `NODES_PER_RUN` succeeded nodes; shared (as source) with the child process. */
const runEventsSource = `(runId, at) => {
  const events = [{ type: 'run-started', runId, at, dag: 'conc', params: {}, nodeCount: ${NODES_PER_RUN}, executor: 'inprocess', concurrency: 1 }];
  for (let n = 0; n < ${NODES_PER_RUN}; n++) {
    const node = 'n' + n;
    events.push({ type: 'node-started', runId, at, node, task: 't/t', key: runId + node, attempt: 1 });
    events.push({ type: 'node-succeeded', runId, at, node, task: 't/t', key: runId + node, attempts: 1, durationMs: 0,
      outputs: { out: { digest: 'd-' + runId + node, kind: 'Json', bytes: 2 } }, inputs: n ? { in: 'd-' + runId + 'n' + (n - 1) } : {} });
  }
  events.push({ type: 'run-finished', runId, at, status: 'succeeded', durationMs: 0 });
  return events;
}`;
const runEvents = (0, eval)(runEventsSource) as (runId: string, at: number) => RunEvent[];

/** A second process writing through the real store (loaded with jiti, as the CLI loads TypeScript). */
const childScript = `
import { createJiti } from ${JSON.stringify(join(root, 'node_modules/jiti/lib/jiti.mjs'))};
const jiti = createJiti(import.meta.url, { fsCache: false });
const { openRunStore } = await jiti.import(${JSON.stringify(join(root, 'core/store/sqlite-store.ts'))});
const runEvents = ${runEventsSource};
const store = openRunStore(process.env.STORE_FILE);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy(); // else the open pipe keeps this process alive
const t0 = Date.now();
store.record(runEvents('child-000', 1)[0]);
const waitedMs = Date.now() - t0;
for (let i = 0; i < ${RUNS_PER_WRITER}; i++) for (const e of runEvents('child-' + String(i).padStart(3, '0'), 1 + i)) store.record(e);
store.close();
process.stdout.write(JSON.stringify({ waitedMs }) + '\\n');
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-conc-'));
  file = join(dir, 'mlcycle.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function expectComplete(store: RunStore, prefix: string): void {
  const runs = store.listRuns().filter((r) => r.id.startsWith(prefix));
  expect(runs).toHaveLength(RUNS_PER_WRITER);
  expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
  for (const r of runs) {
    const nodes = store.nodeRuns(r.id);
    expect(nodes.map((n) => n.status)).toEqual(Array(NODES_PER_RUN).fill('succeeded'));
    expect(nodes[NODES_PER_RUN - 1].inputs).toEqual({ in: `d-${r.id}n${NODES_PER_RUN - 2}` });
  }
}

describe('openRunStore: several writers on one file', () => {
  it('two stores in one process interleave batches without losing rows', () => {
    const a = openRunStore(file);
    const b = openRunStore(file);
    for (let i = 0; i < RUNS_PER_WRITER; i++) {
      const ea = runEvents(`a-${String(i).padStart(3, '0')}`, i);
      const eb = runEvents(`b-${String(i).padStart(3, '0')}`, i);
      ea.forEach((e, k) => { a.record(e); b.record(eb[k]); });
    }
    // Each sees the other's committed runs.
    expect(a.getRun('b-000')?.status).toBe('succeeded');
    expect(b.getRun('a-099')?.status).toBe('succeeded');
    a.close();
    b.close();
    const check = openRunStore(file);
    expectComplete(check, 'a-');
    expectComplete(check, 'b-');
    check.close();
  });

  it('a second process waits for a held write lock, then both processes write at once', async () => {
    openRunStore(file).close(); // create the schema first, so the child's migration is a no-op
    const env = { ...process.env, STORE_FILE: file, NODE_OPTIONS: '' };
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // A hung child must fail this test, not hang the suite.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { clearTimeout(guard); resolve(code); }));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => { if (stdout.includes('ready')) resolve(); });
      void exited.then(() => reject(new Error(`child exited before ready: ${stderr}`)));
    });

    // Hold the write lock while the child starts writing: its first commit must wait (busy_timeout), not fail.
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("insert into artifacts (digest, kind, bytes) values ('held', 'Json', 1)").run();
    child.stdin.end('go\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    holder.exec('COMMIT');
    holder.close();

    // Then write from this process while the child writes its runs.
    const a = openRunStore(file);
    for (let i = 0; i < RUNS_PER_WRITER; i++) for (const e of runEvents(`a-${String(i).padStart(3, '0')}`, i)) a.record(e);
    a.close();

    expect(await exited).toBe(0);
    expect(stderr.replace(/.*ExperimentalWarning.*\n?/g, '')).not.toMatch(/Error/);
    const { waitedMs } = JSON.parse(stdout.split('\n').filter(Boolean).pop()!) as { waitedMs: number };
    expect(waitedMs).toBeGreaterThanOrEqual(100);

    const check = openRunStore(file);
    expectComplete(check, 'a-');
    expectComplete(check, 'child-');
    check.close();
  });
});
