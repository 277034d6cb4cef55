import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, RunStore } from '../../core/index.ts';
import { BATCH_ROWS, openRunStore } from '../../core/store/sqlite-store.ts';

const NODES = 10_000;
const runId = 'big';
const node = (i: number) => `n${String(i).padStart(5, '0')}`;

let dir: string;
let file: string;
let store: RunStore;
let observer: RunStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-batch-'));
  file = join(dir, 'mlcycle.db');
  store = openRunStore(file);
  // A second connection sees only what the first has committed.
  observer = openRunStore(file);
});
afterEach(() => {
  store.close();
  observer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Events of node i of a long chain: started, then succeeded with one output, one input and a metric. */
function nodeEvents(i: number): RunEvent[] {
  const id = node(i);
  return [
    { type: 'node-started', runId, at: i, node: id, task: 'demo/step', key: `k${i}`, attempt: 1 },
    {
      type: 'node-succeeded', runId, at: i + 1, node: id, task: 'demo/step', key: `k${i}`, attempts: 1, durationMs: 1,
      outputs: { value: { digest: `d${i}`, kind: 'Json', bytes: i } }, inputs: i ? { value: `d${i - 1}` } : {}, metrics: { score: i / NODES },
    },
  ];
}

describe('openRunStore: batched writes', () => {
  it(`commits in batches of about ${BATCH_ROWS} rows, and everything on run-finished`, () => {
    store.record({ type: 'run-started', runId, at: 0, dag: 'chain', params: {}, nodeCount: NODES, executor: 'inprocess', concurrency: 2 });
    expect(observer.getRun(runId)?.status).toBe('running');
    for (let i = 0; i < 10; i++) for (const e of nodeEvents(i)) store.record(e);
    expect(observer.nodeRuns(runId)).toHaveLength(0); // still buffered
    // ~6 rows per node: this many nodes pass the batch size once, so some (not all) are committed.
    const nodes = Math.ceil((BATCH_ROWS / 6) * 1.5);
    for (let i = 10; i < nodes; i++) for (const e of nodeEvents(i)) store.record(e);
    const seen = observer.nodeRuns(runId).length;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(nodes);
    store.record({ type: 'run-finished', runId, at: 1, status: 'succeeded', durationMs: 1 });
    expect(observer.nodeRuns(runId)).toHaveLength(nodes);
    expect(observer.getRun(runId)?.status).toBe('succeeded');
  });

  it(`records ${NODES.toLocaleString('en')} nodes correctly`, () => {
    const events: RunEvent[] = [{ type: 'run-started', runId, at: 0, dag: 'chain', params: {}, nodeCount: NODES, executor: 'inprocess', concurrency: 2 }];
    for (let i = 0; i < NODES; i++) events.push(...nodeEvents(i));
    events.push({ type: 'run-finished', runId, at: NODES + 1, status: 'succeeded', durationMs: NODES + 1 });

    const t0 = performance.now();
    for (const e of events) store.record(e);
    store.flush();
    const ms = performance.now() - t0;
    console.log(`store: recorded ${events.length} events of ${NODES} nodes in ${ms.toFixed(0)} ms`);

    const nodes = observer.nodeRuns(runId);
    expect(nodes).toHaveLength(NODES);
    expect(nodes.every((n) => n.status === 'succeeded' && n.attempts === 1)).toBe(true);
    expect(nodes[0]).toMatchObject({ node: node(0), inputs: {}, outputs: { value: { digest: 'd0', kind: 'Json', bytes: 0 } } });
    expect(nodes[NODES - 1]).toMatchObject({
      node: node(NODES - 1), key: `k${NODES - 1}`, startedAt: NODES - 1, finishedAt: NODES,
      inputs: { value: `d${NODES - 2}` }, outputs: { value: { digest: `d${NODES - 1}`, kind: 'Json', bytes: NODES - 1 } },
    });
    const metrics = observer.metrics(runId);
    expect(metrics).toHaveLength(NODES);
    expect(metrics[1234]).toEqual({ runId, node: node(1234), name: 'score', step: null, value: 1234 / NODES });
    expect(observer.referencedDigests().size).toBe(NODES);
    expect(observer.getRun(runId)).toMatchObject({ status: 'succeeded', nodeCount: NODES, finishedAt: NODES + 1 });
  });
});
