import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CacheEntry, OutputDigest, RunEvent, RunStore } from '../../core/index.ts';
import { FLUSH_DELAY_MS, openRunStore } from '../../core/store/sqlite-store.ts';

const T0 = 1_700_000_000_000;
const out = (digest: string): OutputDigest => ({ digest, kind: 'Json', bytes: 3 });
const entry = (key: string, digest: string, createdAt = T0): CacheEntry => ({
  key, task: 'algorithms/mlp', outputs: { model: out(digest) }, material: `{"key":"${key}"}`, createdAt,
});

let dir: string;
let store: RunStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-cache-'));
  store = openRunStore(join(dir, 'mlcycle.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openRunStore: cache entries', () => {
  it('puts, gets, replaces and deletes entries', () => {
    expect(store.getCacheEntry('k1')).toBeUndefined();
    store.putCacheEntry(entry('k1', 'd1'));
    expect(store.getCacheEntry('k1')).toEqual(entry('k1', 'd1'));
    // A repaired entry (its blob was missing) replaces the old one.
    store.putCacheEntry(entry('k1', 'd1b', T0 + 5));
    expect(store.getCacheEntry('k1')).toEqual(entry('k1', 'd1b', T0 + 5));
    store.deleteCacheEntry('k1');
    expect(store.getCacheEntry('k1')).toBeUndefined();
    store.deleteCacheEntry('k1'); // deleting a missing key is fine
  });

  it('is visible to its own store at once and to another store within the flush delay', async () => {
    store.putCacheEntry(entry('k1', 'd1'));
    expect(store.getCacheEntry('k1')?.outputs).toEqual({ model: out('d1') });
    const other = openRunStore(join(dir, 'mlcycle.db'));
    try {
      expect(other.getCacheEntry('k1')).toBeUndefined();
      await new Promise((r) => setTimeout(r, FLUSH_DELAY_MS + 50));
      expect(other.getCacheEntry('k1')?.outputs).toEqual({ model: out('d1') });
      store.deleteCacheEntry('k1');
      expect(store.getCacheEntry('k1')).toBeUndefined();
    } finally {
      other.close();
    }
  });
});

describe('openRunStore: lastEntryForNode', () => {
  let at = T0;
  let seq = 0;
  /** One run of `dag` in which node `train` ends in `status` with `key`. */
  function runWith(dag: string, status: 'succeeded' | 'cached' | 'failed' | 'running', key: string): string {
    const runId = `run-${String(++seq).padStart(3, '0')}`;
    const base = { runId, node: 'train', task: 'algorithms/mlp', key };
    const events: RunEvent[] = [{ type: 'run-started', runId, at: at++, dag, params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 }];
    if (status === 'cached') events.push({ ...base, type: 'node-cached', at: at++, outputs: { model: out(`d-${key}`) } });
    else events.push({ ...base, type: 'node-started', at: at++, attempt: 1 });
    if (status === 'succeeded') events.push({ ...base, type: 'node-succeeded', at: at++, attempts: 1, durationMs: 1, outputs: { model: out(`d-${key}`) }, inputs: {} });
    if (status === 'failed') events.push({ ...base, type: 'node-failed', at: at++, attempts: 1, durationMs: 1, error: { name: 'Error', message: 'x', retryable: true } });
    for (const e of events) store.record(e);
    return runId;
  }

  it('finds the most recent succeeded or cached node run of the dag whose key has an entry', () => {
    expect(store.lastEntryForNode('d', 'train')).toBeUndefined();
    for (const k of ['k1', 'k2', 'k3', 'k4', 'k5']) store.putCacheEntry(entry(k, `d-${k}`));

    runWith('d', 'succeeded', 'k1');
    expect(store.lastEntryForNode('d', 'train')?.key).toBe('k1');
    runWith('d', 'succeeded', 'k2');
    expect(store.lastEntryForNode('d', 'train')?.key).toBe('k2');
    runWith('d', 'failed', 'k3'); // failures never count
    runWith('d', 'running', 'k5'); // nor unfinished nodes
    runWith('other', 'succeeded', 'k4'); // nor other DAGs
    expect(store.lastEntryForNode('d', 'train')?.key).toBe('k2');
    expect(store.lastEntryForNode('other', 'train')?.key).toBe('k4');
    expect(store.lastEntryForNode('d', 'evaluate')).toBeUndefined();

    runWith('d', 'cached', 'k1');
    expect(store.lastEntryForNode('d', 'train')).toEqual(entry('k1', 'd-k1'));
    // A key whose entry is gone (cache gc) is passed over for the next most recent.
    store.deleteCacheEntry('k1');
    expect(store.lastEntryForNode('d', 'train')?.key).toBe('k2');
  });
});

describe('openRunStore: referencedDigests', () => {
  it('collects digests from lineage (in and out) and cache entry outputs', () => {
    const runId = 'r1';
    store.record({ type: 'run-started', runId, at: T0, dag: 'd', params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 });
    store.record({
      type: 'node-succeeded', runId, at: T0 + 1, node: 'n', task: 't/t', key: 'k', attempts: 1, durationMs: 1,
      outputs: { a: out('d-out-a'), b: out('d-out-b') }, inputs: { x: 'd-in-x', 'xs[0]': 'd-in-0' },
    });
    store.putCacheEntry({ ...entry('k', 'd-cache'), outputs: { model: out('d-cache'), other: out('d-out-a') } });
    expect([...store.referencedDigests()].sort()).toEqual(['d-cache', 'd-in-0', 'd-in-x', 'd-out-a', 'd-out-b']);
  });
});
