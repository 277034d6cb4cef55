import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputDigest, RunEvent, RunStore } from '../../core/index.ts';
import { MlcycleError } from '../../core/index.ts';
import { FLUSH_DELAY_MS, openRunStore } from '../../core/store/sqlite-store.ts';

const T0 = 1_700_000_000_000;
const out = (digest: string, kind: string, bytes: number): OutputDigest => ({ digest, kind, bytes });
const TABLE = out('d-table', 'Table', 1200);
const MODEL = out('d-model', 'Model', 5000);
const SCORES = out('d-scores', 'Metrics', 40);

/** A linear 3-node run: load → train (retried once, reports 3 epochs) → evaluate (fan-in input). */
function linearRun(runId: string): RunEvent[] {
  const base = { runId };
  return [
    { ...base, type: 'run-started', at: T0, dag: 'linear', file: 'dags/linear.ts', params: { lr: 0.1 }, nodeCount: 3, executor: 'inprocess', concurrency: 2 },
    { ...base, type: 'node-started', at: T0 + 1, node: 'load', task: 'loaders/csv', key: 'k-load', attempt: 1 },
    { ...base, type: 'node-log', at: T0 + 2, node: 'load', level: 'info', message: 'read 344 rows' },
    { ...base, type: 'node-succeeded', at: T0 + 11, node: 'load', task: 'loaders/csv', key: 'k-load', attempts: 1, durationMs: 10, outputs: { table: TABLE }, inputs: {} },
    { ...base, type: 'node-started', at: T0 + 12, node: 'train', task: 'algorithms/mlp', key: 'k-train', attempt: 1 },
    { ...base, type: 'node-metric', at: T0 + 13, node: 'train', step: 1, metrics: { loss: 0.99 } },
    { ...base, type: 'node-log', at: T0 + 13, node: 'train', level: 'debug', message: 'batch 1 of 11' },
    { ...base, type: 'node-log', at: T0 + 13, node: 'train', level: 'warn', message: 'no rows held out' },
    { ...base, type: 'node-retrying', at: T0 + 14, node: 'train', attempt: 1, delayMs: 5, error: { name: 'Error', message: 'flaky', retryable: true } },
    { ...base, type: 'node-started', at: T0 + 20, node: 'train', task: 'algorithms/mlp', key: 'k-train', attempt: 2 },
    { ...base, type: 'node-metric', at: T0 + 21, node: 'train', step: 1, metrics: { loss: 0.9, accuracy: 0.5 } },
    { ...base, type: 'node-metric', at: T0 + 22, node: 'train', step: 2, metrics: { loss: 0.5, accuracy: 0.7 } },
    { ...base, type: 'node-metric', at: T0 + 23, node: 'train', step: 3, metrics: { loss: 0.25, accuracy: 0.8 } },
    { ...base, type: 'node-succeeded', at: T0 + 30, node: 'train', task: 'algorithms/mlp', key: 'k-train', attempts: 2, durationMs: 10, outputs: { model: MODEL }, inputs: { table: TABLE.digest } },
    { ...base, type: 'node-started', at: T0 + 31, node: 'evaluate', task: 'evaluators/classification', key: 'k-eval', attempt: 1 },
    {
      ...base, type: 'node-succeeded', at: T0 + 40, node: 'evaluate', task: 'evaluators/classification', key: 'k-eval', attempts: 1, durationMs: 9,
      outputs: { scores: SCORES }, inputs: { model: MODEL.digest, 'tables[0]': TABLE.digest, 'tables[1]': 'd-other' }, metrics: { accuracy: 0.9, f1: Number.NaN },
    },
    { ...base, type: 'run-finished', at: T0 + 41, status: 'succeeded', durationMs: 41 },
  ];
}

let dir: string;
let store: RunStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-'));
  // A nested path: the store creates missing folders.
  store = openRunStore(join(dir, 'ws', '.mlcycle', 'mlcycle.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openRunStore: recording a run', () => {
  it('reads back a 3-node run: run, node runs with lineage, final and per-step metrics', () => {
    for (const e of linearRun('run-a')) store.record(e);

    expect(store.getRun('run-a')).toEqual({
      id: 'run-a', dag: 'linear', file: 'dags/linear.ts', status: 'succeeded', params: { lr: 0.1 }, executor: 'inprocess',
      startedAt: T0, finishedAt: T0 + 41, error: null, nodeCount: 3,
    });

    const nodes = store.nodeRuns('run-a');
    expect(nodes.map((n) => n.node)).toEqual(['load', 'train', 'evaluate']);
    const [load, train, evaluate] = nodes;
    expect(load).toEqual({
      runId: 'run-a', node: 'load', task: 'loaders/csv', status: 'succeeded', cached: false, attempts: 1, key: 'k-load',
      startedAt: T0 + 1, finishedAt: T0 + 11, durationMs: 10, error: null, outputs: { table: TABLE }, inputs: {},
    });
    // The first attempt's start is kept; attempts come from the success event.
    expect(train).toMatchObject({ status: 'succeeded', attempts: 2, startedAt: T0 + 12, finishedAt: T0 + 30, error: null });
    expect(train.inputs).toEqual({ table: TABLE.digest });
    expect(train.outputs).toEqual({ model: MODEL });
    expect(evaluate.inputs).toEqual({ model: MODEL.digest, 'tables[0]': TABLE.digest, 'tables[1]': 'd-other' });
    expect(evaluate.outputs).toEqual({ scores: SCORES });

    const metrics = store.metrics('run-a');
    // Step 1 was reported by both attempts: the retry's value replaces the failed attempt's.
    expect(metrics.filter((m) => m.node === 'train' && m.name === 'loss').map((m) => [m.step, m.value]).sort())
      .toEqual([[1, 0.9], [2, 0.5], [3, 0.25]]);
    expect(metrics.filter((m) => m.node === 'train')).toHaveLength(6);
    const final = metrics.filter((m) => m.step === null);
    expect(final.map((m) => [m.node, m.name])).toEqual([['evaluate', 'accuracy'], ['evaluate', 'f1']]);
    expect(final[0]).toEqual({ runId: 'run-a', node: 'evaluate', name: 'accuracy', step: null, value: 0.9 });
    expect(final[1].value).toBeNaN();
  });

  it('shows a run as running as soon as it starts, before any explicit flush', () => {
    const events = linearRun('run-a');
    store.record(events[0]);
    store.record(events[1]);
    const other = openRunStore(join(dir, 'ws', '.mlcycle', 'mlcycle.db'));
    try {
      expect(other.getRun('run-a')?.status).toBe('running');
      // The node-started row is still buffered in the first store.
      expect(other.nodeRuns('run-a')).toEqual([]);
      store.flush();
      expect(other.nodeRuns('run-a')).toMatchObject([{ node: 'load', status: 'running', attempts: 1, key: 'k-load', finishedAt: null }]);
    } finally {
      other.close();
    }
  });

  it('records cached, failed, skipped and cancelled nodes', () => {
    const base = { runId: 'run-b' };
    const events: RunEvent[] = [
      { ...base, type: 'run-started', at: T0, dag: 'linear', params: {}, nodeCount: 4, executor: 'threads', concurrency: 1 },
      { ...base, type: 'node-cached', at: T0 + 1, node: 'load', task: 'loaders/csv', key: 'k-load', outputs: { table: TABLE }, metrics: { rows: 344 } },
      { ...base, type: 'node-started', at: T0 + 2, node: 'train', task: 'algorithms/mlp', key: 'k-train2', attempt: 1 },
      { ...base, type: 'node-failed', at: T0 + 7, node: 'train', task: 'algorithms/mlp', key: 'k-train2', attempts: 3, durationMs: 5, error: { name: 'NonRetryableError', code: 'NON_RETRYABLE', message: 'no column species', retryable: false } },
      { ...base, type: 'node-skipped', at: T0 + 8, node: 'evaluate', task: 'evaluators/classification', reason: "upstream 'train' failed" },
      { ...base, type: 'node-started', at: T0 + 3, node: 'export', task: 'exporters/json', key: 'k-exp', attempt: 2 },
      { ...base, type: 'node-cancelled', at: T0 + 9, node: 'export', task: 'exporters/json' },
      { ...base, type: 'run-finished', at: T0 + 10, status: 'failed', durationMs: 10, error: "node 'train' failed" },
    ];
    for (const e of events) store.record(e);

    expect(store.getRun('run-b')).toMatchObject({ status: 'failed', error: "node 'train' failed", file: null, executor: 'threads', finishedAt: T0 + 10 });
    const byNode = Object.fromEntries(store.nodeRuns('run-b').map((n) => [n.node, n]));
    expect(byNode.load).toMatchObject({ status: 'cached', cached: true, key: 'k-load', outputs: { table: TABLE }, inputs: {} });
    expect(byNode.train).toMatchObject({
      status: 'failed', cached: false, attempts: 3, durationMs: 5,
      error: { name: 'NonRetryableError', code: 'NON_RETRYABLE', message: 'no column species', retryable: false },
    });
    expect(byNode.evaluate).toMatchObject({ status: 'skipped', attempts: 0, error: { message: "upstream 'train' failed", code: 'SKIPPED' } });
    // Cancelled: keeps the attempt count of its start and derives a duration from it.
    expect(byNode.export).toMatchObject({ status: 'cancelled', attempts: 2, startedAt: T0 + 3, finishedAt: T0 + 9, durationMs: 6 });
    expect(store.metrics('run-b')).toEqual([{ runId: 'run-b', node: 'load', name: 'rows', step: null, value: 344 }]);
  });
});

describe('openRunStore: listing and resolving runs', () => {
  const start = (runId: string, dag: string, at: number): RunEvent =>
    ({ type: 'run-started', runId, at, dag, params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 });

  it('lists runs newest first, by dag, with a limit', () => {
    store.record(start('01a', 'penguins', T0));
    store.record(start('01b', 'iris', T0 + 1));
    store.record(start('01c', 'penguins', T0 + 2));
    expect(store.listRuns().map((r) => r.id)).toEqual(['01c', '01b', '01a']);
    expect(store.listRuns({ limit: 2 }).map((r) => r.id)).toEqual(['01c', '01b']);
    expect(store.listRuns({ dag: 'penguins' }).map((r) => r.id)).toEqual(['01c', '01a']);
    expect(store.listRuns({ dag: 'penguins', limit: 1 }).map((r) => r.id)).toEqual(['01c']);
    expect(store.listRuns({ dag: 'nope' })).toEqual([]);
    expect(store.getRun('nope')).toBeUndefined();
  });

  it('resolves unique prefixes only', () => {
    store.record(start('01HZAB', 'd', T0));
    store.record(start('01HZAC', 'd', T0 + 1));
    store.record(start('01HZ', 'd', T0 + 2));
    expect(store.resolveRunId('01HZAB')).toBe('01HZAB');
    expect(store.resolveRunId('01HZAC')).toBe('01HZAC');
    expect(store.resolveRunId('01HZA')).toBeUndefined(); // ambiguous
    expect(store.resolveRunId('01HZ')).toBe('01HZ'); // an exact id wins over longer ids it prefixes
    expect(store.resolveRunId('01HY')).toBeUndefined();
    expect(store.resolveRunId('')).toBeUndefined();
    expect(store.resolveRunId('%')).toBeUndefined();
  });

  it('refuses use after close with an MlcycleError naming the method and the file', () => {
    const file = join(dir, 'closed.db');
    const closed = openRunStore(file);
    closed.close();
    closed.close(); // idempotent
    expect(() => closed.listRuns()).toThrow(MlcycleError);
    expect(() => closed.record(start('x', 'd', T0))).toThrow(/RunStore\.record: run store '.*closed\.db' is closed/);
  });
});

describe('openRunStore: timed flushes', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const started: RunEvent = { type: 'run-started', runId: 'r', at: T0, dag: 'd', params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 };

  it('commits buffered rows within the flush delay without an explicit flush', async () => {
    store.record(started);
    store.record({ type: 'node-started', runId: 'r', at: T0 + 1, node: 'n', task: 't/t', key: 'k', attempt: 1 });
    const other = openRunStore(join(dir, 'ws', '.mlcycle', 'mlcycle.db'));
    try {
      expect(other.nodeRuns('r')).toEqual([]);
      await sleep(FLUSH_DELAY_MS + 100);
      expect(other.nodeRuns('r').map((n) => n.status)).toEqual(['running']);
    } finally {
      other.close();
    }
  });

  it('reports a timed flush that failed on the next flush, and drops only that batch', async () => {
    store.record(started);
    // A malformed event (no task: NOT NULL) makes its batch fail when the timer commits it.
    store.record({ type: 'node-started', runId: 'r', at: T0 + 1, node: 'bad', task: undefined as unknown as string, key: 'k', attempt: 1 });
    await sleep(FLUSH_DELAY_MS + 100);
    expect(() => store.flush()).toThrow(MlcycleError);
    expect(() => store.flush()).not.toThrow(); // reported once
    store.record({ type: 'node-started', runId: 'r', at: T0 + 2, node: 'good', task: 't/t', key: 'k2', attempt: 1 });
    expect(store.nodeRuns('r').map((n) => n.node)).toEqual(['good']);
  });
});

describe('openRunStore: logs', () => {
  it('keeps info and warn lines of a run in order, not debug ones', () => {
    const store = openRunStore(join(dir, 'mlcycle.db'));
    try {
      for (const e of linearRun('run-logs')) store.record(e);
      expect(store.logs('run-logs').map((l) => [l.node, l.level, l.message])).toEqual([
        ['load', 'info', 'read 344 rows'],
        ['train', 'warn', 'no rows held out'],
      ]);
      expect(store.logs('another-run')).toEqual([]);
    } finally {
      store.close();
    }
  });
});
