/**
 * Part 6 of the hardening benchmark: the dead-run check every writable open of a workspace makes
 * (`reapDeadRuns`, core/store/dead-runs.ts), timed alone and as a share of the whole
 * `openWorkspace` + `close`. The store holds 20,000 finished runs (3 nodes each) and a few
 * `running` ones whose owner is alive: this process, and a `sleep` child on this host (which costs a
 * pid probe and a /proc read each), so every open checks them and none is reaped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace } from '../../core/engine/workspace.ts';
import { reapDeadRuns } from '../../core/store/dead-runs.ts';
import { openDatabase } from '../../core/store/open-database.ts';
import { prepareReads } from '../../core/store/read-statements.ts';
import { currentOwner } from '../../core/store/run-owner.ts';
import { prepareWrites } from '../../core/store/write-statements.ts';
import { paired, row, type HardeningRow } from './hardening-timing.ts';

/** `<boot id>/<start time>` of a live pid, as run-owner.ts records it (its helper is private). */
function tokenOf(pid: number): string {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return `${boot}/${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
}

/**
 * Fills `<home>/mlcycle.db` with `runs` finished runs and `live` running ones, half owned by this
 * process and half by `child`. The schema comes from a real open; the rows go in one transaction.
 */
function fillStore(home: string, o: { runs: number; live: number; child: ChildProcess }): void {
  openWorkspace({ home }).close();
  const db = openDatabase(join(home, 'mlcycle.db'));
  try {
    const run = db.prepare(`insert into runs (id, dag, status, params, executor, started_at, finished_at, node_count, owner_host, owner_pid, owner_token, heartbeat_at)
      values (@id, 'penguins', @status, '{}', 'inprocess', @at, @end, 3, @host, @pid, @token, @beat)`);
    const node = db.prepare(`insert into node_runs (run_id, node, task, status, cached, attempts, key, started_at, finished_at, duration_ms)
      values (@run, @node, 'algorithms/mlp', @status, 0, 1, @key, @at, @end, 5)`);
    const me = currentOwner();
    const start = Date.now() - o.runs * 1000;
    db.transaction(() => {
      for (let i = 0; i < o.runs + o.live; i++) {
        const live = i >= o.runs;
        const id = `run-${String(i).padStart(6, '0')}`;
        const at = start + i * 1000;
        const owner = live && i % 2 === 0 ? { host: me.host, pid: me.pid, token: me.token } : { host: me.host, pid: o.child.pid!, token: tokenOf(o.child.pid!) };
        run.run({
          id, status: live ? 'running' : i % 10 === 0 ? 'failed' : 'succeeded', at, end: live ? null : at + 900,
          host: owner.host, pid: owner.pid, token: owner.token, beat: live ? Date.now() : null,
        });
        for (const n of ['load', 'train', 'evaluate']) {
          const running = live && n === 'evaluate';
          node.run({ run: id, node: n, status: running ? 'running' : 'succeeded', key: `${id}-${n}`, at: at + 100, end: running ? null : at + 800 });
        }
      }
    })();
  } finally {
    db.close();
  }
}

/**
 * Times reapDeadRuns alone (on an open database with its statements prepared) and a whole
 * openWorkspace + close, alternating; the row reports the reap's share of the open.
 * @example
 * const r = await deadRunRow(dir, { runs: 20_000, live: 4, reps: 15 });
 */
export async function deadRunRow(dir: string, o: { runs: number; live: number; reps: number }): Promise<HardeningRow> {
  const home = join(dir, 'home');
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    fillStore(home, { runs: o.runs, live: o.live, child });
    const db = openDatabase(join(home, 'mlcycle.db'));
    try {
      const [reads, writes] = [prepareReads(db), prepareWrites(db)];
      const reap = () => {
        const marked = reapDeadRuns(db, reads, writes, Date.now());
        if (marked.length) throw new Error(`a live run was reaped: ${marked.join(', ')}`);
      };
      const open = () => openWorkspace({ home }).close();
      const times = await paired(o.reps, reap, open);
      const running = db.prepare("select count(*) as n from runs where status = 'running'").get() as { n: number };
      if (running.n !== o.live) throw new Error(`expected ${o.live} running runs, found ${running.n}`);
      return row({
        check: 'dead runs at open',
        case: `${o.runs.toLocaleString('en-US')} runs, ${o.live} live running`,
        against: 'openWorkspace + close',
        unit: 'ms',
        share: true,
      }, times);
    } finally {
      db.close();
    }
  } finally {
    child.kill('SIGTERM');
  }
}
