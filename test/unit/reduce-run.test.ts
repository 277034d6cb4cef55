import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunState, dag, failureSentences, reduceRun, runDag, type RunEvent, type RunState } from '../../core/index.ts';
import { add, flaky, source } from '../fixtures/tasks/basic.ts';

const runId = 'r1';
const T = 1_000_000;
const TABLE = { digest: 'd-table', kind: 'Table', bytes: 10 };
const MODEL = { digest: 'd-model', kind: 'Json', bytes: 4 };
const err = (message: string, code?: string) => ({ name: 'Error', message, retryable: !code, ...(code ? { code } : {}) });

const started = (at = T): RunEvent => ({ runId, at, type: 'run-started', dag: 'linear', params: {}, nodeCount: 3, executor: 'inprocess', concurrency: 2 });
const start = (node: string, attempt: number, at: number): RunEvent => ({ runId, at, type: 'node-started', node, task: `t/${node}`, key: `k-${node}`, attempt });
const finished = (status: 'succeeded' | 'failed' | 'cancelled' | 'pruned', error?: string, at = T + 100): RunEvent => ({ runId, at, type: 'run-finished', status, durationMs: 100, ...(error ? { error } : {}) });
const declared = () => createRunState(['load', 'train', 'eval'].map((id) => ({ id, task: `t/${id}` })));
const fold = (events: RunEvent[], state: RunState = declared()) => events.reduce(reduceRun, state);

describe('reduceRun', () => {
  it('a node retried twice ends succeeded with its last attempt; the retry shows while it waits', () => {
    const s = fold([
      started(),
      start('load', 1, T + 1),
      { runId, at: T + 5, type: 'node-metric', node: 'load', step: 1, metrics: { loss: 0.5 } },
    ]);
    expect(s.nodes.get('load')).toMatchObject({ status: 'running', attempts: 1, startedAt: T + 1, activity: { type: 'step', step: 1, metrics: { loss: 0.5 } } });
    expect([...s.running]).toEqual(['load']);
    fold([{ runId, at: T + 6, type: 'node-retrying', node: 'load', attempt: 1, delayMs: 20, error: err('flaky') }], s);
    expect(s.nodes.get('load')!.activity).toMatchObject({ type: 'retrying', attempt: 1, delayMs: 20 });
    fold([start('load', 2, T + 30)], s);
    expect(s.nodes.get('load')).toMatchObject({ status: 'running', attempts: 2, startedAt: T + 1 });
    expect(s.nodes.get('load')!.activity).toBeUndefined();
    fold([
      { runId, at: T + 6, type: 'node-retrying', node: 'load', attempt: 2, delayMs: 40, error: err('flaky') },
      start('load', 3, T + 80),
      { runId, at: T + 90, type: 'node-succeeded', node: 'load', task: 't/load', key: 'k-load', attempts: 3, durationMs: 89, outputs: { table: TABLE }, inputs: {}, metrics: { rows: 3 } },
    ], s);
    expect(s.nodes.get('load')).toEqual({
      id: 'load', task: 't/load', status: 'succeeded', cached: false, attempts: 3, durationMs: 89, key: 'k-load', startedAt: T + 1, outputs: { table: TABLE }, metrics: { rows: 3 },
    });
    expect(s.running.size).toBe(0);
    expect(s.counts.get('succeeded')).toBe(1);
    expect(s.counts.get('pending')).toBe(2);
  });

  it('a cached node has no attempts and no duration, with its outputs and metrics', () => {
    const s = fold([started(), { runId, at: T + 1, type: 'node-cached', node: 'load', task: 't/load', key: 'k-load', outputs: { table: TABLE }, metrics: { rows: 3 } }]);
    expect(s.nodes.get('load')).toMatchObject({ status: 'cached', cached: true, attempts: 0, durationMs: 0, outputs: { table: TABLE }, metrics: { rows: 3 } });
  });

  it('a node that waited on another run’s execution of its key ends cached (attempts 0) when it succeeded, failed with the shared error when not', () => {
    const s = fold([
      started(),
      { runId, at: T + 1, type: 'node-log', node: 'load', level: 'info', message: 'waiting for run r0, which is executing this node’s key now' },
      { runId, at: T + 50, type: 'node-cached', node: 'load', task: 't/load', key: 'k-load', outputs: { table: TABLE } },
      { runId, at: T + 60, type: 'node-failed', node: 'train', task: 't/train', key: 'k-train', attempts: 0, durationMs: 40, error: err('disk full (in run r0, which executed this node’s key while this run waited for it)', 'IO') },
    ]);
    expect(s.nodes.get('load')).toMatchObject({ status: 'cached', cached: true, attempts: 0, durationMs: 0 });
    expect(s.nodes.get('train')).toMatchObject({ status: 'failed', attempts: 0, durationMs: 40, errorCode: 'IO' });
    expect(s.running.size).toBe(0);
  });

  it('a failure skips its dependants; run-finished writes the failure text once, from the nodes', () => {
    const s = fold([
      started(),
      { runId, at: T + 1, type: 'node-cached', node: 'load', task: 't/load', key: 'k-load', outputs: { table: TABLE } },
      start('train', 1, T + 2),
      { runId, at: T + 10, type: 'node-failed', node: 'train', task: 't/train', key: 'k-train', attempts: 1, durationMs: 8, error: err('data has no rows.', 'DATA') },
      { runId, at: T + 11, type: 'node-skipped', node: 'eval', task: 't/eval', reason: "upstream node 'train' failed" },
    ]);
    expect(s.nodes.get('train')).toMatchObject({ status: 'failed', attempts: 1, durationMs: 8, error: 'data has no rows.', errorCode: 'DATA' });
    expect(s.nodes.get('eval')).toMatchObject({ status: 'skipped', attempts: 0, durationMs: 0, reason: "upstream node 'train' failed" });
    expect(s.failed).toEqual(['train']);
    expect(s.failure).toBeUndefined();
    const first = "node 'train' (t/train) failed after 1 attempt: data has no rows.";
    fold([finished('failed', first)], s);
    expect(s.status).toBe('failed');
    expect(s.failure).toBe(`${first}\nSkipped as dependants: eval.\nFix the cause, then re-run the same command to resume: completed nodes are cache hits.`);
    expect(s.failure!.split('\n')[0]).toBe(first);
  });

  it('cancelled: nodes that began are cancelled with their attempts and duration, the rest skipped', () => {
    const s = fold([
      started(),
      { runId, at: T + 1, type: 'node-succeeded', node: 'load', task: 't/load', key: 'k-load', attempts: 1, durationMs: 1, outputs: { table: TABLE }, inputs: {} },
      start('train', 1, T + 2),
      { runId, at: T + 40, type: 'node-cancelled', node: 'train', task: 't/train', attempts: 1, durationMs: 38 },
      { runId, at: T + 40, type: 'node-skipped', node: 'eval', task: 't/eval', reason: 'run cancelled' },
      finished('cancelled', 'The run was cancelled. Re-run the same command to resume: completed nodes are cache hits.'),
    ]);
    expect(s.nodes.get('train')).toMatchObject({ status: 'cancelled', attempts: 1, durationMs: 38 });
    expect(s.nodes.get('train')!.error).toBeUndefined();
    expect(s.nodes.get('eval')!.status).toBe('skipped');
    expect(s.status).toBe('cancelled');
    expect(s.failure).toBe('The run was cancelled. Re-run the same command to resume: completed nodes are cache hits.');
    // An older event without attempts and duration: taken from its last start and the time since the first.
    const old = fold([started(), start('train', 2, T + 2), { runId, at: T + 12, type: 'node-cancelled', node: 'train', task: 't/train' }]);
    expect(old.nodes.get('train')).toMatchObject({ status: 'cancelled', attempts: 2, durationMs: 10 });
  });

  it('pruned: running and unstarted nodes are pruned with the pruner’s reason; the failure opens with it', () => {
    const reason = 'pruned at step 2: 0.41 is worse than the median 0.62 (median pruner)';
    const s = fold([
      started(),
      { runId, at: T + 1, type: 'node-succeeded', node: 'load', task: 't/load', key: 'k-load', attempts: 1, durationMs: 1, outputs: { table: TABLE }, inputs: {} },
      start('train', 1, T + 2),
      { runId, at: T + 5, type: 'node-metric', node: 'train', step: 2, metrics: { accuracy: 0.41 } },
      { runId, at: T + 9, type: 'node-pruned', node: 'train', task: 't/train', reason, step: 2, attempts: 1, durationMs: 7 },
      { runId, at: T + 9, type: 'node-pruned', node: 'eval', task: 't/eval', reason, step: 2, attempts: 0, durationMs: 0 },
      finished('pruned', reason),
    ]);
    expect(s.nodes.get('train')).toMatchObject({ status: 'pruned', attempts: 1, durationMs: 7, error: reason, errorCode: 'PRUNED' });
    expect(s.nodes.get('train')!.activity).toBeUndefined();
    expect(s.nodes.get('eval')).toMatchObject({ status: 'pruned', attempts: 0, errorCode: 'PRUNED' });
    expect(s.counts.get('pruned')).toBe(2);
    expect(s.failure!.split('\n')).toEqual([reason, "A sweep's pruner stopped this run: its unfinished nodes are pruned and nothing they computed was cached."]);
  });

  it('a view fed events alone learns the nodes as they come; unknown nodes never reached stay out', () => {
    const s = fold([started(), start('train', 1, T + 1), { runId, at: T + 2, type: 'node-succeeded', node: 'train', task: 't/train', key: 'k', attempts: 1, durationMs: 1, outputs: { model: MODEL }, inputs: {} }], createRunState());
    expect([...s.nodes.keys()]).toEqual(['train']);
    expect(s.nodeCount).toBe(3);
    expect(s.nodes.get('train')!.task).toBe('t/train');
  });

  it('bounds the failure sentences on request, as the CLI paragraph does', () => {
    const nodes = [
      ...Array.from({ length: 4 }, (_, i) => ({ id: `f${i}`, task: 't', status: 'failed' as const, attempts: i, error: `boom ${i}...` })),
      ...Array.from({ length: 5 }, (_, i) => ({ id: `s${i}`, task: 't', status: 'skipped' as const, attempts: 0 })),
    ];
    expect(failureSentences(nodes, { limit: 2, everyOne: '--json' })).toEqual([
      "node 'f0' (t) failed before it could run: boom 0.",
      "node 'f1' (t) failed after 1 attempt: boom 1.",
      '… and 2 more failed nodes (every one: --json).',
      'Skipped as dependants: s0, s1 … and 3 more.',
      'Fix the cause, then re-run the same command to resume: completed nodes are cache hits.',
    ]);
    expect(failureSentences(nodes).filter((l) => l.startsWith('node '))).toHaveLength(4);
  });
});

describe('the engine’s summary is the fold of the events it emitted', () => {
  it('retries, a fatal failure, its skipped dependant and an independent node', async () => {
    const token = `reduce-${process.pid}-${Date.now()}`;
    const built = dag('fold', (b) => {
      const retried = b.add('retried', flaky, {}, { token: `${token}-ok`, failTimes: 1 });
      const f = b.add('f', flaky, {}, { token: `${token}-fatal`, failTimes: 5, fatal: true });
      b.add('after', add, { value: f.value });
      b.add('independent', add, { value: retried.value }, { amount: 1 });
      b.add('src', source, {}, { value: 7 });
    }).build();
    const handle = runDag(built, { home: mkdtempSync(join(tmpdir(), 'mlcycle-reduce-')), concurrency: 2 });
    const state = createRunState();
    handle.events$.subscribe((e) => reduceRun(state, e));
    const summary = await handle.done;

    expect(summary.status).toBe('failed');
    expect(state.status).toBe('failed');
    expect(state.failure).toBe(summary.failure);
    for (const n of summary.nodes) {
      const s = state.nodes.get(n.id)!;
      expect({ id: n.id, task: s.task, status: s.status, cached: s.cached, attempts: s.attempts, durationMs: s.durationMs, error: s.error, errorCode: s.errorCode })
        .toEqual({ error: undefined, errorCode: undefined, ...n });
    }
    const byId = Object.fromEntries(summary.nodes.map((n) => [n.id, n]));
    expect(byId.retried).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(byId.after.status).toBe('skipped');
    expect(summary.failure).toMatch(/^node 'f' \(test\/flaky\) failed after 1 attempt: fatal failure 1\.\nSkipped as dependants: after\.\n/);
  });
});
