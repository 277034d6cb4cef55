/**
 * A run whose signal is aborted with a PrunedError (what a sweep's pruner does) ends `pruned`: its
 * running and not-yet-started nodes are pruned, nothing they computed is cached, finished nodes stay
 * as they were, and the store, the CLI and the renderers say so. Real runs of
 * test/fixtures/dags/stepped-train.ts on a real store; a plain abort still cancels.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { filter, firstValueFrom } from 'rxjs';
import {
  closeWorkerPools, openSession, openWorkspace, PrunedError, runDag, type RunEvent, type RunHandle, type RunSummary,
} from '../../core/index.ts';
import { renderSummary } from '../../cli/render/summary.ts';
import { createPlainRenderer } from '../../cli/render/plain.ts';
import steppedTrain from '../fixtures/dags/stepped-train.ts';
import { runCli } from './cli-harness.ts';

afterAll(() => closeWorkerPools());

const REASON = 'pruned at step 2: 0.67 < median 0.78';

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'mlcycle-pruned-'));
  return { home: join(dir, 'home'), counter: join(dir, 'count.txt') };
}

/** Executions seen in the counter file: `train:0.1:start` → how many times. */
function counts(counter: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(counter)) return out;
  for (const line of readFileSync(counter, 'utf8').split('\n').filter(Boolean)) out[line] = (out[line] ?? 0) + 1;
  return out;
}

const statuses = (s: RunSummary) => Object.fromEntries(s.nodes.map((n) => [n.id, n.status]));
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

/** Collects a run's events and aborts it with `reason()` once train has reported its 2nd step. */
function abortAfterStep2(handle: RunHandle, controller: AbortController, reason: () => unknown): RunEvent[] {
  const events: RunEvent[] = [];
  handle.events$.subscribe((e) => {
    events.push(e);
    if (e.type === 'node-metric' && e.node === 'train' && e.step === 2) controller.abort(reason());
  });
  return events;
}

describe.each(['inprocess', 'threads'] as const)('a pruned run, %s executor', (executor) => {
  it('ends pruned: the training node and what follows are pruned, prep stays succeeded, nothing pruned is cached', async () => {
    const { home, counter } = setUp();
    const params = { counter, epochs: 8, stepMs: 120 };
    const controller = new AbortController();
    const handle = runDag(steppedTrain.build({ params }), { home, executor, concurrency: 2, signal: controller.signal });
    const events = abortAfterStep2(handle, controller, () => new PrunedError(REASON, { step: 2 }));
    const summary = await handle.done;

    expect(summary.status).toBe('pruned');
    expect(statuses(summary)).toEqual({ prep: 'succeeded', train: 'pruned', score: 'pruned' });
    expect(summary.nodes.find((n) => n.id === 'train')).toMatchObject({ status: 'pruned', cached: false, error: REASON, errorCode: 'PRUNED' });
    expect(summary.failure?.split('\n')[0]).toBe(REASON);
    expect(summary.outputs).toEqual({});
    const finished = ofType(events, 'run-finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ status: 'pruned', error: REASON });
    expect(ofType(events, 'node-pruned').map((e) => [e.node, e.step, e.reason])).toEqual([['train', 2, REASON], ['score', 2, REASON]]);
    expect(ofType(events, 'node-cancelled')).toEqual([]);
    // The training execution was aborted: it started and never ended; score never ran.
    expect(counts(counter)).toEqual({ 'prep:start': 1, 'prep:end': 1, 'train:0.1:start': 1 });

    const trainKey = ofType(events, 'node-started').find((e) => e.node === 'train')!.key;
    const prepKey = ofType(events, 'node-succeeded').find((e) => e.node === 'prep')!.key;
    const ws = openWorkspace({ home });
    try {
      const run = ws.store.getRun(summary.runId)!;
      expect([run.status, run.error]).toEqual(['pruned', REASON]);
      expect(run.finishedAt).not.toBeNull();
      const nodes = Object.fromEntries(ws.store.nodeRuns(summary.runId).map((n) => [n.node, n]));
      expect([nodes.prep.status, nodes.train.status, nodes.score.status]).toEqual(['succeeded', 'pruned', 'pruned']);
      expect(nodes.train.error).toMatchObject({ code: 'PRUNED', message: REASON, retryable: false });
      expect(nodes.train.attempts).toBe(1);
      expect(nodes.train.finishedAt).not.toBeNull();
      expect(nodes.score.startedAt).toBeNull();
      // The steps the pruner judged are kept (a sweep stores them as intermediate values).
      expect(ws.store.metrics(summary.runId).filter((m) => m.node === 'train').map((m) => m.step)).toEqual([1, 2]);
      expect(ws.store.getCacheEntry(trainKey)).toBeUndefined();
      expect(ws.store.getCacheEntry(prepKey)).toBeDefined();
    } finally {
      ws.close();
    }

    // The same trial again: prep is a cache hit, train executes again (it was never cached) and finishes.
    const again = await runDag(steppedTrain.build({ params: { ...params, stepMs: 1 } }), { home, executor }).done;
    expect(again.status).toBe('succeeded');
    expect(statuses(again)).toEqual({ prep: 'cached', train: 'succeeded', score: 'succeeded' });
    expect(counts(counter)).toMatchObject({ 'prep:start': 1, 'train:0.1:start': 2, 'train:0.1:end': 1, 'score:end': 1 });
  });

  it('a plain abort still cancels: train cancelled, score skipped, run cancelled', async () => {
    const { home, counter } = setUp();
    const controller = new AbortController();
    const handle = runDag(steppedTrain.build({ params: { counter, epochs: 8, stepMs: 120 } }), { home, executor, signal: controller.signal });
    const events = abortAfterStep2(handle, controller, () => new Error('cancelled by SIGINT'));
    const summary = await handle.done;
    expect(summary.status).toBe('cancelled');
    expect(statuses(summary)).toEqual({ prep: 'succeeded', train: 'cancelled', score: 'skipped' });
    expect(ofType(events, 'node-pruned')).toEqual([]);
    const ws = openWorkspace({ home });
    try {
      expect(ws.store.getRun(summary.runId)!.status).toBe('cancelled');
    } finally {
      ws.close();
    }
  });
});

describe('a pruned run in a session with other runs', () => {
  it('a run waiting on the pruned run\'s execution gets its result, never `pruned`; the execution ran once', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2 });
    try {
      const params = { counter, epochs: 5, stepMs: 150 };
      const pruneA = new AbortController();
      const a = session.run(steppedTrain, params, { signal: pruneA.signal });
      const aEvents = abortAfterStep2(a, pruneA, () => new PrunedError(REASON, { step: 2 }));
      await firstValueFrom(a.events$.pipe(filter((e) => e.type === 'node-started' && e.node === 'train')));
      // Same params: b waits on a's execution of train.
      const b = session.run(steppedTrain, params);
      const bEvents: RunEvent[] = [];
      b.events$.subscribe((e) => bEvents.push(e));
      const [sa, sb] = await Promise.all([a.done, b.done]);
      expect(sa.status).toBe('pruned');
      expect(statuses(sa)).toEqual({ prep: 'succeeded', train: 'pruned', score: 'pruned' });
      expect(sb.status).toBe('succeeded');
      expect(statuses(sb)).toEqual({ prep: 'cached', train: 'cached', score: 'succeeded' });
      expect(bEvents.some((e) => e.type === 'node-pruned')).toBe(false);
      expect(ofType(bEvents, 'node-metric').map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
      expect(ofType(aEvents, 'node-metric').map((e) => e.step)).toEqual([1, 2]);
      // a's execution went on for b: one start, one end; its result is cached now.
      expect(counts(counter)).toMatchObject({ 'train:0.1:start': 1, 'train:0.1:end': 1 });
      const trainKey = ofType(aEvents, 'node-started').find((e) => e.node === 'train')!.key;
      expect(session.workspace.store.getCacheEntry(trainKey)).toBeDefined();
    } finally {
      await session.close();
    }
  });

  it('pruning a run leaves another run\'s own training alone and aborts only its own', async () => {
    const { home, counter } = setUp();
    const session = openSession({ home, concurrency: 2 });
    try {
      const pruneA = new AbortController();
      const a = session.run(steppedTrain, { counter, lr: 0.1, epochs: 6, stepMs: 150 }, { signal: pruneA.signal });
      abortAfterStep2(a, pruneA, () => new PrunedError(REASON, { step: 2 }));
      const b = session.run(steppedTrain, { counter, lr: 0.2, epochs: 4, stepMs: 150 });
      const [sa, sb] = await Promise.all([a.done, b.done]);
      expect([sa.status, sb.status]).toEqual(['pruned', 'succeeded']);
      expect(statuses(sb)).toEqual({ prep: expect.stringMatching(/^(succeeded|cached)$/), train: 'succeeded', score: 'succeeded' });
      expect(counts(counter)).toMatchObject({ 'prep:start': 1, 'train:0.1:start': 1, 'train:0.2:start': 1, 'train:0.2:end': 1 });
      expect(counts(counter)['train:0.1:end']).toBeUndefined();
    } finally {
      await session.close();
    }
  });
});

describe('pruned in the CLI', () => {
  it('`runs ls` and `runs show` list a pruned run and its pruned nodes with the reason', async () => {
    const { home, counter } = setUp();
    const controller = new AbortController();
    const handle = runDag(steppedTrain.build({ params: { counter, epochs: 8, stepMs: 100 } }), { home, signal: controller.signal });
    abortAfterStep2(handle, controller, () => new PrunedError(REASON, { step: 2 }));
    const summary = await handle.done;
    const ls = await runCli(['runs', 'ls', '--home', home]);
    expect(ls.code).toBe(0);
    expect(ls.stderr).toMatch(new RegExp(`${summary.runId}.*pruned`));
    const show = await runCli(['runs', 'show', summary.runId, '--home', home]);
    expect(show.code).toBe(0);
    expect(show.stderr).toContain('status: pruned');
    expect(show.stderr).toContain(`error: ${REASON}`);
    expect(show.stderr).toMatch(/train .*pruned/);
    const json = JSON.parse((await runCli(['runs', 'show', summary.runId, '--home', home, '--json'])).stdout);
    expect(json.run.status).toBe('pruned');
    expect(json.nodes.map((n: { status: string }) => n.status)).toEqual(['succeeded', 'pruned', 'pruned']);
  });

  it('the end-of-run summary and the plain renderer say pruned, with the reason', async () => {
    const { home, counter } = setUp();
    const controller = new AbortController();
    const handle = runDag(steppedTrain.build({ params: { counter, epochs: 8, stepMs: 100 } }), { home, signal: controller.signal });
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d) => (text += String(d)));
    const plain = createPlainRenderer(stream);
    handle.events$.subscribe((e) => plain.onEvent(e));
    abortAfterStep2(handle, controller, () => new PrunedError(REASON, { step: 2 }));
    const summary = await handle.done;
    await plain.close();
    renderSummary(summary, stream);
    expect(text).toContain(`✂ pruned train: ${REASON}`);
    expect(text).toContain(`✂ pruned score: ${REASON}`);
    expect(text).toMatch(/train\s.*pruned/);
    expect(text).toContain(`run ${summary.runId} of 'stepped-train' was pruned after`);
    expect(text).toContain(`: ${REASON}\n`);
    expect(text).not.toContain('failed');
  });
});
