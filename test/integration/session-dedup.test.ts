/**
 * Sessions: several runs in one workspace at once, and in-flight de-duplication by cache key. Real
 * runs of test/fixtures/dags/shared-prefix.ts, whose tasks count their executions in a file.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { closeWorkerPools, openSession, ValidationError, type RunEvent, type RunHandle, type RunSummary, type Session, type SessionRunOptions } from '../../core/index.ts';
import sharedPrefix from '../fixtures/dags/shared-prefix.ts';

afterAll(() => closeWorkerPools());

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-session-'));
  return { home: join(dir, 'home'), counter: join(dir, 'count.txt') };
}

/** Executions seen in the counter file: `load:start` → how many times. */
function counts(counter: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(counter)) return out;
  for (const line of readFileSync(counter, 'utf8').split('\n').filter(Boolean)) out[line] = (out[line] ?? 0) + 1;
  return out;
}

interface Started {
  handle: RunHandle;
  events: RunEvent[];
  done: Promise<RunSummary>;
}

function start(session: Session, params: Record<string, unknown>, options: SessionRunOptions = {}): Started {
  const handle = session.run(sharedPrefix, params, options);
  const events: RunEvent[] = [];
  handle.events$.subscribe((e) => events.push(e));
  return { handle, events, done: handle.done };
}

const nodeEvent = (r: Started, node: string, type: RunEvent['type']) => r.events.find((e) => e.type === type && 'node' in e && e.node === node) as any;
const statuses = (s: RunSummary) => Object.fromEntries(s.nodes.map((n) => [n.id, n.status]));
// Resolves once `run` has started executing `node` (so a run started after it must wait on it).
const whenStarted = (r: Started, node: string) => firstValueFrom(r.handle.events$.pipe(filter((e) => e.type === 'node-started' && e.node === node)));
// Resolves once load's task body is running (its first log line): in a worker, an attempt aborted
// before the task began would never count a start.
const whenLoading = (r: Started) => firstValueFrom(r.handle.events$.pipe(filter((e) => e.type === 'node-log' && e.node === 'load' && /^loading for/.test(e.message))));

describe.each(['inprocess', 'threads'] as const)('session, %s executor', (executor) => {
  it('two runs sharing a prefix at once: the prefix executes once, both succeed with the same digests', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2, executor });
    const a = start(session, { counter, lr: 0.1 });
    const b = start(session, { counter, lr: 0.2 });
    expect(session.activeRuns).toBe(2);
    const [sa, sb] = await Promise.all([a.done, b.done]);
    expect([sa.status, sb.status]).toEqual(['succeeded', 'succeeded']);
    expect(a.events[0]).toMatchObject({ type: 'run-started', executor });
    expect(counts(counter)).toEqual({
      'load:start': 1, 'load:end': 1, 'prep:start': 1, 'prep:end': 1,
      'train:0.1:start': 1, 'train:0.1:end': 1, 'train:0.2:start': 1, 'train:0.2:end': 1,
    });
    // a started first and executed the prefix; b waited on it and records it as cached.
    expect(statuses(sa)).toEqual({ load: 'succeeded', prep: 'succeeded', train: 'succeeded' });
    expect(statuses(sb)).toEqual({ load: 'cached', prep: 'cached', train: 'succeeded' });
    expect(sb.outputs.rows).toEqual([10, 20, 30, 40]);
    expect(sa.outputs.rows).toEqual(sb.outputs.rows);
    expect(sa.outputs.scores).toEqual({ score: 10 });
    expect(sb.outputs.scores).toEqual({ score: 20 });
    for (const node of ['load', 'prep']) {
      expect(nodeEvent(b, node, 'node-cached').outputs).toEqual(nodeEvent(a, node, 'node-succeeded').outputs);
      expect(nodeEvent(b, node, 'node-started')).toBeUndefined();
    }
    // The waiting run's record is truthful: cached, no attempts, and a log line naming the run that executed it.
    const ws = session.workspace;
    const bLoad = ws.store.nodeRuns(sb.runId).find((n) => n.node === 'load')!;
    expect([bLoad.status, bLoad.attempts]).toEqual(['cached', 0]);
    expect(ws.store.logs(sb.runId).map((l) => l.message)).toContain(`waiting for run ${sa.runId}, which is executing this node's key (${nodeEvent(a, 'load', 'node-started').key.slice(0, 12)}…) now`);
    // Later runs of the session find the prefix in the cache: no key executes twice, concurrent or not.
    const c = await start(session, { counter, lr: 0.3 }).done;
    expect(statuses(c)).toEqual({ load: 'cached', prep: 'cached', train: 'succeeded' });
    expect(counts(counter)['load:start']).toBe(1);
    await session.close();
    expect(session.activeRuns).toBe(0);
  });

  it('a waiting run sees the shared node\'s step metrics', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2, executor });
    // Same params: b waits on every node of a, train included.
    const a = start(session, { counter, lr: 0.5, prefixMs: 200 });
    await whenStarted(a, 'load');
    const b = start(session, { counter, lr: 0.5, prefixMs: 200 });
    const [sa, sb] = await Promise.all([a.done, b.done]);
    expect(statuses(sb)).toEqual({ load: 'cached', prep: 'cached', train: 'cached' });
    expect(sb.outputs).toEqual(sa.outputs);
    const steps = (r: Started) => r.events.filter((e) => e.type === 'node-metric').map((e) => (e as Extract<RunEvent, { type: 'node-metric' }>).step);
    expect(steps(a)).toEqual([1, 2, 3]);
    expect(steps(b)).toEqual([1, 2, 3]);
    expect(counts(counter)['train:0.5:start']).toBe(1);
    await session.close();
  });

  it('cancelling the run that executes a shared node does not break the run waiting on it', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2, executor });
    const cancelA = new AbortController();
    const a = start(session, { counter, lr: 0.1, prefixMs: 600 }, { signal: cancelA.signal });
    await whenStarted(a, 'load');
    const b = start(session, { counter, lr: 0.2, prefixMs: 600 });
    await firstValueFrom(b.handle.events$.pipe(filter((e) => e.type === 'node-log' && /^waiting for run/.test(e.message))));
    cancelA.abort();
    const sa = await a.done;
    expect(sa.status).toBe('cancelled');
    expect(statuses(sa)).toEqual({ load: 'cancelled', prep: 'skipped', train: 'skipped' });
    const sb = await b.done;
    expect(sb.status).toBe('succeeded');
    expect(statuses(sb)).toEqual({ load: 'cached', prep: 'succeeded', train: 'succeeded' });
    // The execution a started went on for b: load ran once, to its end.
    expect(counts(counter)).toMatchObject({ 'load:start': 1, 'load:end': 1, 'prep:start': 1 });
    expect(b.events.some((e) => e.type === 'node-log' && e.message === `run ${sa.runId}, which was executing this node, was cancelled; the execution goes on for this run`)).toBe(true);
    await session.close();
  });

  it('cancelling the waiting run leaves the executing one alone; cancelling both aborts the execution', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2, executor });
    const a = start(session, { counter, lr: 0.1, prefixMs: 500 });
    await whenStarted(a, 'load');
    const cancelB = new AbortController();
    const b = start(session, { counter, lr: 0.2, prefixMs: 500 }, { signal: cancelB.signal });
    await firstValueFrom(b.handle.events$.pipe(filter((e) => e.type === 'node-log' && /^waiting for run/.test(e.message))));
    cancelB.abort();
    const sb = await b.done;
    expect(sb.status).toBe('cancelled');
    // b only waited: its record says cancelled with no attempt of its own.
    expect(sb.nodes.find((n) => n.id === 'load')).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect((await a.done).status).toBe('succeeded');
    expect(counts(counter)).toMatchObject({ 'load:start': 1, 'load:end': 1 });

    // Both cancelled while waiting on one execution: it is aborted (a start, no end), nothing is cached.
    const cancelC = new AbortController();
    const cancelD = new AbortController();
    const c = start(session, { counter, lr: 0.1, prefixMs: 1500 }, { signal: cancelC.signal });
    await whenLoading(c);
    const d = start(session, { counter, lr: 0.2, prefixMs: 1500 }, { signal: cancelD.signal });
    await firstValueFrom(d.handle.events$.pipe(filter((e) => e.type === 'node-log' && /^waiting for run/.test(e.message))));
    cancelC.abort();
    cancelD.abort();
    expect([(await c.done).status, (await d.done).status]).toEqual(['cancelled', 'cancelled']);
    expect(counts(counter)).toMatchObject({ 'load:start': 2, 'load:end': 1 });
    // The key is free again: the next run executes it itself (it was never cached); prep and train
    // read the same rows as a's did, so they are cache hits.
    const e = await start(session, { counter, lr: 0.1, prefixMs: 1500 }).done;
    expect(statuses(e)).toEqual({ load: 'succeeded', prep: 'cached', train: 'cached' });
    expect(counts(counter)).toMatchObject({ 'load:start': 3, 'load:end': 2 });
    await session.close();
  });

  it('a failing shared node fails both runs with the same error and code; it executed once', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2, executor });
    const a = start(session, { counter, lr: 0.1, failPrefix: true, prefixMs: 300 });
    await whenStarted(a, 'load');
    const b = start(session, { counter, lr: 0.2, failPrefix: true, prefixMs: 300 });
    const [sa, sb] = await Promise.all([a.done, b.done]);
    expect([sa.status, sb.status]).toEqual(['failed', 'failed']);
    const la = sa.nodes.find((n) => n.id === 'load')!;
    const lb = sb.nodes.find((n) => n.id === 'load')!;
    expect(la).toMatchObject({ status: 'failed', attempts: 1, errorCode: 'NON_RETRYABLE', error: 'the shared load failed on purpose' });
    expect(lb).toMatchObject({ status: 'failed', attempts: 0, errorCode: 'NON_RETRYABLE' });
    expect(lb.error).toBe(`the shared load failed on purpose (in run ${sa.runId}, which executed this node's key while this run waited for it)`);
    expect(statuses(sb)).toEqual({ load: 'failed', prep: 'skipped', train: 'skipped' });
    expect(counts(counter)).toEqual({ 'load:start': 1 });
    await session.close();
  });
});

describe('session, what is not shared', () => {
  it('a --no-cache run executes its own nodes even while another run executes the same keys', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2 });
    const a = start(session, { counter, lr: 0.1, prefixMs: 300 });
    await whenStarted(a, 'load');
    const b = start(session, { counter, lr: 0.1, prefixMs: 300 }, { noCache: true });
    const [sa, sb] = await Promise.all([a.done, b.done]);
    expect(statuses(sa)).toEqual({ load: 'succeeded', prep: 'succeeded', train: 'succeeded' });
    expect(statuses(sb)).toEqual({ load: 'succeeded', prep: 'succeeded', train: 'succeeded' });
    expect(counts(counter)).toMatchObject({ 'load:start': 2, 'load:end': 2, 'prep:end': 2, 'train:0.1:end': 2 });
    await session.close();
  });
});

describe('session lifecycle', () => {
  it('builds a definition with params, refuses params for a built DAG, and refuses runs once closed', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 1 });
    expect(() => session.run(sharedPrefix.build(), { lr: 1 })).toThrow(ValidationError);
    expect(() => session.run(sharedPrefix, { nope: 1 })).toThrow(/nope/);
    const built = await session.run(sharedPrefix.build({ params: { counter, prefixMs: 1 } })).done;
    expect(built.status).toBe('succeeded');
    await session.close();
    await session.close();
    expect(() => session.run(sharedPrefix, { counter })).toThrow(/closed/);
  });

  it('close() cancels the runs still going, then closes the workspace', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2 });
    const a = start(session, { counter, prefixMs: 5000 });
    await whenLoading(a);
    await session.close();
    expect((await a.done).status).toBe('cancelled');
    expect(counts(counter)).toEqual({ 'load:start': 1 });
    expect(() => session.workspace.store.listRuns()).toThrow(/closed/);
  });

  it('a run accepted just before close() ends as cancelled, recorded, with nothing executed', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2 });
    const a = start(session, { counter });
    const closing = session.close();
    const summary = await a.done;
    await closing;
    expect(summary.status).toBe('cancelled');
    expect(statuses(summary)).toEqual({ load: 'skipped', prep: 'skipped', train: 'skipped' });
    expect(a.events.map((e) => e.type)).toEqual(['run-started', 'node-skipped', 'node-skipped', 'node-skipped', 'run-finished']);
    expect(counts(counter)).toEqual({});
  });
});
