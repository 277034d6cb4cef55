/**
 * The study store on real SQLite files: every field round-trips (NaN and ±Infinity included), names
 * are unique, studies resolve by id, name or prefix, summaries count and rank trials, a study is
 * owned by one live process (a real child, killed with SIGKILL), and a v3 store migrates.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { MlcycleError, ValidationError } from '../../core/errors.ts';
import { migrations } from '../../core/store/migrations.ts';
import { sqliteBuilder } from '../../core/store/query-builder.ts';
import { STALE_HEARTBEAT_MS } from '../../core/store/run-owner.ts';
import { openRunStore } from '../../core/store/sqlite-store.ts';
import { openStudyStore, type StudyStore } from '../../core/store/study-store.ts';
import type { StudyConfig, TrialRecord } from '../../core/store/study-types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
let file: string;
let store: StudyStore | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-study-'));
  file = join(dir, 'mlcycle.db');
});
afterEach(() => {
  store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});
const open = (): StudyStore => (store = openStudyStore(file));
const reopen = (): StudyStore => {
  store?.close();
  return open();
};

const config = (over: Partial<StudyConfig> = {}): StudyConfig => ({
  dag: 'tabular', file: '/abs/dags/tabular.sweep.ts', objective: 'cv.accuracy.mean', direction: 'maximize',
  space: { algorithm: { kind: 'choice', values: { mlp: { lr: { kind: 'float', lo: 1e-4, hi: 1, log: true } }, forest: {} } } },
  sampler: { kind: 'tpe', options: { nStartupTrials: 10, seed: null } },
  pruner: { kind: 'asha', options: { reductionFactor: 3 } },
  pruneOn: 'val_score', fixed: { data: 'wine.csv', target: 'quality', folds: 5, stratify: true },
  trials: 40, parallel: 2, seed: 7, ...over,
});

const trial = (studyId: string, number: number, over: Partial<TrialRecord> = {}): TrialRecord => ({
  studyId, number, params: { algorithm: 'mlp', 'mlp.lr': 0.01 }, state: 'complete', value: 0.5,
  intermediate: {}, attrs: {}, runId: null, startedAt: 1000 + number, finishedAt: 2000 + number, error: null, prunedStep: null, ...over,
});

describe('study store: records', () => {
  it('round-trips every field of a study and its trials, NaN and ±Infinity included, across connections', () => {
    const s = open();
    const study = s.createStudy('wine', config());
    expect(study).toMatchObject({ ...config(), name: 'wine', status: 'running', finishedAt: null, error: null });
    const full: TrialRecord = {
      studyId: study.id, number: 0, params: { algorithm: 'mlp', 'mlp.lr': 0.003, 'mlp.hidden': 64, shuffle: false, note: null, tag: 'NaN' },
      state: 'pruned', value: NaN, intermediate: { 1: 0.5, 2: NaN, 3: Infinity, 4: -Infinity, 9: -0.25 },
      attrs: { completed_rung_0: Infinity, completed_rung_1: -Infinity, min_resource: 1, odd: NaN },
      runId: '20260101-000000-abcdef', startedAt: 111, finishedAt: 222, error: 'pruned at step 4 (rung 1): -Infinity < 0.5', prunedStep: 4,
    };
    const second = trial(study.id, 1, { value: -Infinity, state: 'complete', runId: 'r1' });
    s.putTrial(second);
    s.putTrial(full);
    s.updateStudy(study.id, { status: 'complete', finishedAt: 999, error: 'none', trials: 60, parallel: 3 });

    const again = reopen();
    expect(again.trials(study.id)).toEqual([full, second]);
    const back = again.getStudy(study.id)!;
    expect(back).toEqual({ ...study, status: 'complete', finishedAt: 999, error: 'none', trials: 60, parallel: 3 });
    expect(Object.is(again.trials(study.id)[0].value, NaN)).toBe(true);
    // A patch changes only what it names.
    again.updateStudy(study.id, { error: null });
    expect(again.getStudy(study.id)).toEqual({ ...back, error: null });
  });

  it('setIntermediate adds and replaces one point; putTrial replaces the whole trial, points included', () => {
    const s = open();
    const { id } = s.createStudy('curve', config());
    s.putTrial(trial(id, 0, { state: 'running', value: null, intermediate: { 0: 0.1 }, finishedAt: null }));
    s.setIntermediate(id, 0, 1, 0.2);
    s.setIntermediate(id, 0, 2, NaN);
    s.setIntermediate(id, 0, 1, 0.25);
    expect(s.trials(id)[0]).toMatchObject({ state: 'running', intermediate: { 0: 0.1, 1: 0.25, 2: NaN } });
    s.putTrial(trial(id, 0, { state: 'complete', value: 0.3, intermediate: { 5: 0.3 } }));
    expect(reopen().trials(id)[0]).toMatchObject({ state: 'complete', value: 0.3, intermediate: { 5: 0.3 } });
    expect(Object.keys(store!.trials(id)[0].intermediate)).toEqual(['5']);
  });

  it('refuses what it cannot store faithfully, and writes nothing then', () => {
    const s = open();
    expect(() => s.createStudy('bad', config({ space: { lr: { lo: 0, hi: Infinity } } }))).toThrow(ValidationError);
    expect(() => s.createStudy('bad', config({ space: { lr: { lo: 0, hi: Infinity } } }))).toThrow("space › hi is Infinity");
    expect(() => s.createStudy('bad', config({ trials: NaN }))).toThrow("study 'bad': trials must be an integer, got NaN");
    expect(() => s.createStudy('bad', config({ seed: 1.5 }))).toThrow('seed must be an integer, got 1.5');
    expect(s.listStudies()).toEqual([]);
    const { id } = s.createStudy('ok', config());
    expect(() => s.updateStudy(id, { parallel: 0.5 })).toThrow('parallel must be an integer');
    expect(s.getStudy(id)?.parallel).toBe(2);
    expect(() => s.putTrial(trial(id, 0, { params: { lr: NaN } }))).toThrow("trial 0 params › lr is NaN");
    expect(() => s.putTrial(trial('no-such-study', 0))).toThrow("no study with id 'no-such-study'");
    expect(() => s.putTrial(trial(id, 1, { intermediate: { 1.5: 1 } }))).toThrow('step must be an integer, got 1.5');
    expect(() => s.setIntermediate(id, 3, 1, 0.5)).toThrow('has no trial 3; putTrial it first');
    expect(() => s.updateStudy('nope', { status: 'failed' })).toThrow(MlcycleError);
    expect(s.trials(id)).toEqual([]);
  });

  it('refuses a name already taken, naming it and the way out', () => {
    const s = open();
    const first = s.createStudy('wine', config());
    let caught: unknown;
    try { s.createStudy('wine', config({ dag: 'other' })); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).message).toBe(
      `a study named 'wine' already exists (id ${first.id}, running): use --resume wine to continue it, or another --name`,
    );
    expect(s.listStudies().map((x) => x.dag)).toEqual(['tabular']);
  });

  it('finds a study by exact id, exact name or a unique id prefix of 4+ characters', () => {
    const s = open();
    const a = s.createStudy('alpha', config());
    const b = s.createStudy('beta', config());
    // Created in the same second, the ids share their date and time: diverge only in the random tail.
    let i = 0;
    while (a.id[i] === b.id[i]) i++;
    expect(s.getStudy(a.id)?.name).toBe('alpha');
    expect(s.getStudy('beta')?.id).toBe(b.id);
    expect(s.getStudy(a.id.slice(0, i + 1))?.name).toBe('alpha');
    expect(s.getStudy(b.id.slice(0, i + 1))?.name).toBe('beta');
    expect(s.getStudy(a.id.slice(0, i))).toBeUndefined(); // ambiguous (when i >= 4) or too short
    expect(s.getStudy(a.id.slice(0, 3))).toBeUndefined(); // too short, though unique among 2 ids it may be
    expect(s.getStudy('')).toBeUndefined();
    expect(s.getStudy('gamma')).toBeUndefined();
    // An exact name wins over a prefix.
    const c = s.createStudy(b.id.slice(0, 8), config());
    expect(s.getStudy(b.id.slice(0, 8))?.id).toBe(c.id);
  });

  it('lists studies newest first with trial counts and the best complete trial for each direction', () => {
    const s = open();
    const max = s.createStudy('max', config({ direction: 'maximize' }));
    const min = s.createStudy('min', config({ direction: 'minimize' }));
    const empty = s.createStudy('empty', config());
    for (const id of [max.id, min.id]) {
      s.putTrial(trial(id, 0, { value: 0.5 }));
      s.putTrial(trial(id, 1, { value: 0.9 }));
      s.putTrial(trial(id, 2, { value: 0.1 }));
      s.putTrial(trial(id, 3, { value: 0.9 })); // ties go to the earlier trial
      s.putTrial(trial(id, 4, { value: 0.1 }));
      s.putTrial(trial(id, 5, { value: NaN })); // never best
      s.putTrial(trial(id, 6, { state: 'pruned', value: 5, prunedStep: 2 }));
      s.putTrial(trial(id, 7, { state: 'pruned', value: -5, prunedStep: 2 }));
      s.putTrial(trial(id, 8, { state: 'failed', value: 7, error: 'boom' }));
      s.putTrial(trial(id, 9, { state: 'failed', value: -7, error: 'boom' }));
      s.putTrial(trial(id, 10, { state: 'running', value: 100 }));
      s.putTrial(trial(id, 11, { state: 'queued', value: null }));
    }
    const counts = { queued: 1, running: 1, complete: 6, pruned: 2, failed: 2 };
    const list = s.listStudies();
    expect(list.map((x) => x.name)).toEqual(['empty', 'min', 'max']);
    expect(list[2]).toMatchObject({ id: max.id, counts, best: { number: 1, value: 0.9 } });
    expect(list[1]).toMatchObject({ id: min.id, counts, best: { number: 2, value: 0.1 } });
    expect(list[0]).toMatchObject({ id: empty.id, counts: { queued: 0, running: 0, complete: 0, pruned: 0, failed: 0 }, best: null });
    expect(s.listStudies({ limit: 1 }).map((x) => x.name)).toEqual(['empty']);
    expect(s.summary(min.id)).toEqual(list[1]);
    expect(s.summary('nope')).toBeUndefined();
    // A study whose only complete value is NaN has no best.
    const nan = s.createStudy('nan', config());
    s.putTrial(trial(nan.id, 0, { value: NaN }));
    expect(s.summary(nan.id)?.best).toBeNull();
  });
});

/** A child process that opens the store, claims study `name` with a running trial, then waits or exits. */
function claimingChild(name: string, then: 'wait' | 'exit') {
  const script = join(dir, `child-${then}.ts`);
  writeFileSync(script, `
import { openStudyStore } from ${JSON.stringify(join(root, 'core/store/study-store.ts'))};
const store = openStudyStore(process.env.STORE_FILE!);
const study = store.getStudy(${JSON.stringify(name)})!;
store.claimStudy(study.id);
store.putTrial({ studyId: study.id, number: 0, params: { x: 1 }, state: 'running', value: null, intermediate: { 1: 0.5 }, attrs: {},
  runId: null, startedAt: Date.now(), finishedAt: null, error: null, prunedStep: null });
if (${JSON.stringify(then)} === 'exit') process.exit(0);
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`);
  return spawn(process.execPath, [join(root, 'cli/run-ts.mjs'), script], {
    env: { ...process.env, STORE_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
  });
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
const exited = (child: ReturnType<typeof spawn>) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve();
  else child.on('close', () => resolve());
});

describe('study store: one live owner at a time', () => {
  it('refuses a claim while a live process runs the study; after kill -9 the next open marks it interrupted and a claim takes over', async () => {
    const { id } = open().createStudy('shared', config());
    const child = claimingChild('shared', 'wait');
    try {
      expect(await readLine(child)).toBe('ready\n');
      // Opening while the owner lives leaves it running.
      expect(reopen().getStudy(id)?.status).toBe('running');
      let caught: unknown;
      try { store!.claimStudy(id); } catch (err) { caught = err; }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as Error).message).toBe(`study 'shared' is being run by pid ${child.pid} on host ${hostname()}; wait for it or stop it`);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    const s = reopen();
    const study = s.getStudy(id)!;
    expect(study.status).toBe('interrupted');
    expect(study.error).toContain(`process ${child.pid} on ${hostname()} is no longer running`);
    expect(study.error).toContain('--resume shared');
    expect(study.finishedAt).not.toBeNull();
    // Trials keep their states: the runner re-runs the running ones.
    expect(s.trials(id).map((t) => [t.number, t.state, t.intermediate])).toEqual([[0, 'running', { 1: 0.5 }]]);

    const lease = s.claimStudy(id);
    expect(s.getStudy(id)).toMatchObject({ status: 'running', finishedAt: null, error: null });
    // This process holds it now: a second claim (here, or after a reopen) is refused too.
    expect(() => s.claimStudy(id)).toThrow(`is being run by pid ${process.pid}`);
    const other = openStudyStore(file);
    try {
      expect(other.getStudy(id)?.status).toBe('running');
      expect(() => other.claimStudy(id)).toThrow(ValidationError);
      lease.release();
      lease.release();
      other.claimStudy(id).release();
    } finally {
      other.close();
    }
    expect(s.getStudy(id)?.status).toBe('running');
  });

  it('a process that exits holding a study ends it as interrupted itself', async () => {
    const { id } = open().createStudy('quitter', config());
    store!.close();
    store = undefined;
    await exited(claimingChild('quitter', 'exit'));
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('select status, error, owner_pid from studies where id = ?').get(id) as Record<string, unknown>;
    raw.close();
    expect(row).toMatchObject({ status: 'interrupted', owner_pid: null });
    expect(String(row.error)).toContain('the process exited before the study finished');
    expect(() => open().claimStudy(id)).not.toThrow();
  });

  it('closing the store with a study still claimed and running marks it interrupted; a finished one keeps its status', () => {
    const s = open();
    const a = s.createStudy('a', config());
    const b = s.createStudy('b', config());
    s.claimStudy(a.id);
    s.claimStudy(b.id);
    s.updateStudy(b.id, { status: 'complete', finishedAt: 5 });
    const again = reopen();
    expect(again.getStudy(a.id)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('its study store was closed') });
    expect(again.getStudy(b.id)).toMatchObject({ status: 'complete', finishedAt: 5, error: null });
    // Both were released: claims succeed.
    again.claimStudy(a.id).release();
    again.claimStudy(b.id).release();
    expect(() => again.claimStudy('nope')).toThrow("no study with id 'nope'");
  });
});

describe('study store: owners on other hosts', () => {
  const setOwner = (id: string, heartbeatAt: number) => {
    const db = new Database(file);
    db.prepare("update studies set status = 'running', owner_host = 'another-host', owner_pid = 4242, owner_token = 'x/1', heartbeat_at = ?, created_at = ? where id = ?")
      .run(heartbeatAt, heartbeatAt, id);
    db.close();
  };

  it('are alive while they heartbeat, and dead after a long silence', () => {
    const { id } = open().createStudy('remote', config());
    setOwner(id, Date.now() - 60_000);
    const s = reopen();
    expect(s.getStudy(id)?.status).toBe('running');
    expect(() => s.claimStudy(id)).toThrow("study 'remote' is being run by pid 4242 on host another-host; wait for it or stop it");
    setOwner(id, Date.now() - STALE_HEARTBEAT_MS - 60_000);
    const again = reopen();
    expect(again.getStudy(id)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('no sign of life from process 4242 on another-host') });
    again.claimStudy(id).release();
  });
});

describe('study store: schema', () => {
  it('migrates a v3 store (runs kept) to the study tables', () => {
    const db = new Database(file);
    for (const migration of migrations.slice(0, 3)) {
      for (const step of migration(sqliteBuilder)) {
        const { sql, parameters } = step.compile();
        db.prepare(sql).run(...parameters);
      }
    }
    db.pragma('user_version = 3');
    db.prepare("insert into runs (id, dag, status, params, executor, started_at, finished_at, node_count) values ('old', 'd', 'succeeded', '{}', 'inprocess', 1, 5, 0)").run();
    db.close();

    const s = open();
    const { id } = s.createStudy('after', config());
    s.putTrial(trial(id, 0, { runId: 'old' }));
    s.close();
    store = undefined;
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(migrations.length);
      const tables = (check.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['runs', 'studies', 'trials', 'trial_values']));
      expect(check.prepare("select name from sqlite_master where type = 'index' and name = 'trials_by_run'").get()).toBeDefined();
    } finally {
      check.close();
    }
    const runs = openRunStore(file);
    try {
      expect(runs.getRun('old')?.status).toBe('succeeded');
    } finally {
      runs.close();
    }
    expect(open().trials(id)[0].runId).toBe('old');
  });
});
