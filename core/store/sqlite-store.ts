/**
 * The SQLite run store. Event writes are buffered and committed in batches (one transaction per
 * batch: per-row commits would make a 10,000-node run spend its time in SQLite), and reads flush
 * first so a store always sees its own writes. Several processes may share one file (WAL +
 * busy_timeout; batches take the write lock up front so they wait instead of failing mid-way).
 */
import { MlcycleError, ValidationError } from '../errors.ts';
import type { RunEvent } from '../run/events.ts';
import { asRead, nodesAsRead, reapDeadRuns } from './dead-runs.ts';
import { openStoreFile, type ReadOnlyMode } from './open-store-file.ts';
import { prepareReads } from './read-statements.ts';
import { eventWrites } from './record-event.ts';
import type { PendingWrite } from './record-event.ts';
import { lostBatchEnds, lostError, ownedEnds, prepareRunEnds } from './run-endings.ts';
import { createRunLease } from './run-lease.ts';
import { currentOwner } from './run-owner.ts';
import { toCacheEntry, toMetricRecord, toNodeRunRecords, toRunRecord } from './rows.ts';
import type { RunsTable } from './schema.ts';
import { readOnlyStoreError, writeFailureHint } from './store-errors.ts';
import type { CacheEntry, RunStore } from './types.ts';
import { prepareWrites } from './write-statements.ts';

/** Buffered row writes that trigger a commit. */
export const BATCH_ROWS = 5000;

/**
 * Longest a buffered write waits for its commit. Bounds what a `kill -9` can lose: a node that
 * finished more than this long before the crash is recorded, so a re-run serves it from the cache.
 */
export const FLUSH_DELAY_MS = 100;

/**
 * How many cache entries `entriesForNode` returns by default: enough for `plan` to find the closest
 * earlier configuration of a node, bounded so a 10,000-trial study still plans in milliseconds.
 */
export const ENTRIES_FOR_NODE_LIMIT = 200;

/** How many of a node's newest node runs (across runs) `entriesForNode` looks through: its time bound. */
export const ENTRIES_FOR_NODE_SCAN = 2000;

// Above every character a run id can hold, so [prefix, prefix + MAX_CHAR) is "starts with prefix".
const MAX_CHAR = '\u{10FFFF}';

/** How a store is opened: see ReadOnlyMode. */
export interface OpenRunStoreOptions {
  /**
   * `'auto'` (default): writable when the file and its folder can be written, else read-only;
   * `false`: writable, or a ValidationError saying the store is read-only; `true`: read-only.
   */
  readOnly?: ReadOnlyMode;
}

/**
 * Opens the run store in `file` (creating the file, its folders and its schema if needed). A
 * writable open also ends the record of runs whose process died (dead-runs.ts).
 * @example
 * const store = openRunStore('.mlcycle/mlcycle.db');
 * store.record({ type: 'run-started', runId, at: Date.now(), dag: 'penguins', params: {}, nodeCount: 7, executor: 'inprocess', concurrency: 2 });
 * store.listRuns({ limit: 10 });
 * store.close();
 */
export function openRunStore(file: string, options: OpenRunStoreOptions = {}): RunStore {
  const { sqlite, readOnly } = openStoreFile(file, options.readOnly ?? 'auto');
  const writes = prepareWrites(sqlite);
  const reads = prepareReads(sqlite);
  if (!readOnly) {
    try {
      reapDeadRuns(sqlite, reads, writes, Date.now());
    } catch (err) {
      sqlite.close();
      throw new MlcycleError(`openRunStore: could not mark dead runs of '${file}' interrupted: ${(err as Error).message}. ${writeFailureHint(err)}`, { cause: err });
    }
  }
  const owner = currentOwner();
  const commit = sqlite.transaction((batch: Array<PendingWrite | null>) => {
    for (const w of batch) if (w) w.query.run(w.args);
  });
  const endRuns = prepareRunEnds(sqlite, writes);
  // Runs whose rows were in a batch that failed: their record is incomplete, so they cannot end as succeeded.
  const lostByRun = new Map<string, string>();
  let buffer: Array<PendingWrite | null> = [];
  // Where each node's not-yet-committed 'running' row sits in the buffer: when the node succeeds
  // before the commit, its final row says all that row would, so it is never written.
  const pendingStarts = new Map<string, number>();
  // Cache entries written but not yet committed: this process must see its own puts at once.
  const pendingEntries = new Map<string, CacheEntry | null>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const ensureOpen = (method: string): void => {
    if (closed) throw new MlcycleError(`RunStore.${method}: run store '${file}' is closed; open it again with openRunStore`);
  };

  // A timed flush has no caller to throw to (throwing would crash the process from a timer):
  // its error waits here for the next call that can report it.
  let deferredError: unknown;

  const flush = (): void => {
    ensureOpen('flush');
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (deferredError !== undefined) {
      const err = deferredError;
      deferredError = undefined;
      throw err;
    }
    if (buffer.length === 0) return;
    // Taken out before committing: a batch that fails is reported once, not retried forever.
    const batch = buffer;
    buffer = [];
    pendingEntries.clear();
    pendingStarts.clear();
    try {
      commit.immediate(batch);
    } catch (err) {
      const message = `could not write ${batch.length} rows to run store '${file}': ${(err as Error).message}`;
      afterLostBatch(batch, message);
      throw new MlcycleError(`RunStore.flush: ${message}. ${writeFailureHint(err)}`, { cause: err });
    }
  };

  // A run whose final write was in the lost batch is ended again at once, in a small transaction of
  // its own (it may fit where the batch did not). If that fails too, the run stays `running` under
  // this process, and the next open after the process has ended marks it interrupted.
  const afterLostBatch = (batch: Array<PendingWrite | null>, message: string): void => {
    const ends = lostBatchEnds(batch, writes, message, lostByRun);
    if (endRuns(ends)) for (const e of ends) lostByRun.delete(e.id);
  };

  // Ends the record of runs this store started and never finished: the process is exiting, or the
  // store is closing, so nobody else will. Best effort: what fails is the next open's to repair.
  const endOwned = (why: string): void => {
    const ids = lease.owned();
    lease.dispose();
    if (closed || readOnly || ids.length === 0) return;
    try {
      if (buffer.length) commit.immediate(buffer);
    } catch {
      // Those rows are lost; the runs still end below.
    }
    buffer = [];
    endRuns(ownedEnds(ids, why, lostByRun));
  };

  const lease = createRunLease({
    beat: (ids, at) => {
      if (closed) return;
      for (const id of ids) buffer.push({ query: writes.heartbeat, args: { id, at } });
      buffered();
    },
    exiting: () => endOwned('the process exited before the run finished'),
  });

  const ensureWritable = (method: string): void => {
    if (readOnly) throw readOnlyStoreError(file, readOnly);
    ensureOpen(method);
  };

  const buffered = (): void => {
    if (buffer.length >= BATCH_ROWS) flush();
    else if (!timer && buffer.length) {
      timer = setTimeout(() => {
        if (closed) return;
        try {
          flush();
        } catch (err) {
          deferredError = err;
        }
      }, FLUSH_DELAY_MS);
      timer.unref?.();
    }
  };

  const seen = (row: RunsTable): RunsTable => (readOnly ? asRead(reads, row, Date.now()) : row);

  const read = <T>(method: string, query: () => T): T => {
    ensureOpen(method);
    flush();
    return query();
  };

  return {
    readOnly: readOnly !== undefined,
    record(event: RunEvent): void {
      ensureWritable('record');
      if (event.type === 'run-finished') {
        lease.finished(event.runId);
        const lost = lostByRun.get(event.runId);
        if (lost !== undefined) {
          lostByRun.delete(event.runId);
          event = { ...event, status: event.status === 'succeeded' ? 'failed' : event.status, error: lostError(event.error, lost) };
        }
      }
      const before = buffer.length;
      const hint = eventWrites(event, writes, buffer as PendingWrite[], owner);
      if (event.type === 'run-started') lease.started(event.runId);
      const nodeKey = 'node' in event ? `${event.runId}\u0000${event.node}` : '';
      if (event.type === 'node-started' && event.attempt === 1) pendingStarts.set(nodeKey, before);
      else if (event.type === 'node-succeeded' && event.attempts === 1) {
        const at = pendingStarts.get(nodeKey);
        if (at !== undefined) buffer[at] = null;
      }
      if (hint === 'now') flush();
      else buffered();
    },
    flush,
    // No flush here: this is the per-node hot path, and cache entries never depend on event rows.
    getCacheEntry(key) {
      ensureOpen('getCacheEntry');
      const pending = pendingEntries.get(key);
      if (pending !== undefined) return pending ?? undefined;
      const row = reads.getCacheEntry.get({ key });
      return row && toCacheEntry(row);
    },
    putCacheEntry(entry: CacheEntry): void {
      ensureWritable('putCacheEntry');
      buffer.push({ query: writes.putCacheEntry, args: {
        key: entry.key, task: entry.task, outputs: JSON.stringify(entry.outputs), material: entry.material, created_at: entry.createdAt,
      } });
      pendingEntries.set(entry.key, entry);
      buffered();
    },
    deleteCacheEntry(key: string): void {
      ensureWritable('deleteCacheEntry');
      buffer.push({ query: writes.deleteCacheEntry, args: { key } });
      pendingEntries.set(key, null);
      buffered();
    },
    lastEntryForNode: (dag, node) => read('lastEntryForNode', () => {
      const row = reads.entriesForNode.get({ dag, node, limit: 1, scan: ENTRIES_FOR_NODE_SCAN });
      return row && toCacheEntry(row);
    }),
    entriesForNode: (dag, node, options = {}) => read('entriesForNode', () => {
      const limit = options.limit ?? ENTRIES_FOR_NODE_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new ValidationError(`RunStore.entriesForNode: limit must be a whole number >= 1, got ${limit}`);
      return reads.entriesForNode.all({ dag, node, limit, scan: Math.max(ENTRIES_FOR_NODE_SCAN, limit) }).map(toCacheEntry);
    }),
    listRuns: (options = {}) => read('listRuns', () =>
      reads.listRuns.all({ dag: options.dag ?? null, limit: options.limit ?? -1 }).map((row) => toRunRecord(seen(row)))),
    getRun: (id) => read('getRun', () => {
      const row = reads.getRun.get({ id });
      return row && toRunRecord(seen(row));
    }),
    resolveRunId: (prefix) => read('resolveRunId', () => {
      if (prefix === '') return undefined;
      if (reads.getRun.get({ id: prefix })) return prefix;
      const matches = reads.runIdsInRange.all({ from: prefix, to: prefix + MAX_CHAR });
      return matches.length === 1 ? matches[0].id : undefined;
    }),
    nodeRuns: (runId) => read('nodeRuns', () => {
      const rows = reads.nodeRuns.all({ run_id: runId });
      // A read-only store cannot mark dead runs: it shows them as the next writable open will record them.
      const shown = readOnly ? nodesAsRead(reads, reads.getRun.get({ id: runId }), rows, Date.now()) : rows;
      return toNodeRunRecords(shown, reads.lineage.all({ run_id: runId }));
    }),
    metrics: (runId) => read('metrics', () => reads.metrics.all({ run_id: runId }).map(toMetricRecord)),
    logs: (runId) => read('logs', () =>
      reads.logs.all({ run_id: runId }).map((r) => ({ runId: r.run_id, node: r.node, at: r.at, level: r.level, message: r.message }))),
    referencedDigests: () => read('referencedDigests', () => {
      const digests = new Set(reads.lineageDigests.all({}).map((r) => r.digest));
      for (const { outputs } of reads.cacheOutputs.all({})) {
        for (const o of Object.values(JSON.parse(outputs) as Record<string, { digest: string }>)) digests.add(o.digest);
      }
      return digests;
    }),
    close(): void {
      if (closed) return;
      try {
        flush();
      } finally {
        endOwned('its run store was closed before the run finished');
        if (timer) clearTimeout(timer);
        closed = true;
        sqlite.close();
      }
    },
  };
}
