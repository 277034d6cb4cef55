import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError, type CacheEntry, type OutputDigest, type RunEvent, type RunStore } from '../../core/index.ts';
import { ENTRIES_FOR_NODE_LIMIT, openRunStore } from '../../core/store/sqlite-store.ts';

const T0 = 1_700_000_000_000;
const out = (digest: string): OutputDigest => ({ digest, kind: 'Json', bytes: 3 });
const entry = (key: string): CacheEntry => ({ key, task: 'test/pair', outputs: { value: out(`d-${key}`) }, material: `{"key":"${key}"}`, createdAt: T0 });

let dir: string;
let store: RunStore;
let at = T0;
let seq = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-store-entries-'));
  store = openRunStore(join(dir, 'mlcycle.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One run of `dag` in which `node` ends in `status` with `key` (its entry put first when asked). */
function runWith(dag: string, node: string, status: 'succeeded' | 'cached' | 'failed', key: string, put = true): void {
  if (put) store.putCacheEntry(entry(key));
  const runId = `run-${String(++seq).padStart(5, '0')}`;
  const base = { runId, node, task: 'test/pair', key };
  const events: RunEvent[] = [{ type: 'run-started', runId, at: at++, dag, params: {}, nodeCount: 1, executor: 'inprocess', concurrency: 1 }];
  if (status === 'cached') events.push({ ...base, type: 'node-cached', at: at++, outputs: { value: out(`d-${key}`) } });
  else events.push({ ...base, type: 'node-started', at: at++, attempt: 1 });
  if (status === 'succeeded') events.push({ ...base, type: 'node-succeeded', at: at++, attempts: 1, durationMs: 1, outputs: { value: out(`d-${key}`) }, inputs: {} });
  if (status === 'failed') events.push({ ...base, type: 'node-failed', at: at++, attempts: 1, durationMs: 1, error: { name: 'Error', message: 'x', retryable: true } });
  for (const e of events) store.record(e);
}

describe('RunStore.entriesForNode', () => {
  it('lists each key once, most recently used first, for this node of this DAG only', () => {
    expect(store.entriesForNode('d', 'pair')).toEqual([]);
    runWith('d', 'pair', 'succeeded', 'k1');
    runWith('d', 'pair', 'succeeded', 'k2');
    runWith('d', 'pair', 'cached', 'k1'); // k1 used again: now the most recent
    runWith('d', 'pair', 'cached', 'k1');
    runWith('d', 'pair', 'failed', 'k3'); // failures never count
    runWith('other', 'pair', 'succeeded', 'k4'); // nor other DAGs
    runWith('d', 'scale', 'succeeded', 'k5'); // nor other nodes
    expect(store.entriesForNode('d', 'pair').map((e) => e.key)).toEqual(['k1', 'k2']);
    expect(store.entriesForNode('d', 'pair')[0]).toEqual(entry('k1'));
    expect(store.lastEntryForNode('d', 'pair')?.key).toBe('k1');
    // An entry gone from the cache (cache gc) is not listed.
    store.deleteCacheEntry('k1');
    expect(store.entriesForNode('d', 'pair').map((e) => e.key)).toEqual(['k2']);
    expect(store.lastEntryForNode('d', 'pair')?.key).toBe('k2');
  });

  it(`is bounded: the newest ${ENTRIES_FOR_NODE_LIMIT} by default, or the limit asked`, () => {
    const n = ENTRIES_FOR_NODE_LIMIT + 30;
    for (let i = 0; i < n; i++) runWith('study', 'train', 'succeeded', `t${i}`);
    const listed = store.entriesForNode('study', 'train').map((e) => e.key);
    expect(listed).toHaveLength(ENTRIES_FOR_NODE_LIMIT);
    expect(listed[0]).toBe(`t${n - 1}`);
    expect(listed.at(-1)).toBe(`t${n - ENTRIES_FOR_NODE_LIMIT}`);
    expect(store.entriesForNode('study', 'train', { limit: 3 }).map((e) => e.key)).toEqual([`t${n - 1}`, `t${n - 2}`, `t${n - 3}`]);
  });

  it('refuses a limit that is not a whole number >= 1', () => {
    expect(() => store.entriesForNode('d', 'pair', { limit: 0 })).toThrow(ValidationError);
    expect(() => store.entriesForNode('d', 'pair', { limit: Number.NaN })).toThrow(/limit must be a whole number/);
  });
});
