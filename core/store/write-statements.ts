/**
 * The store's writes, compiled once per connection. Node rows are upserts so that events may arrive
 * in any order a scheduler can produce (a cached node has no `node-started`; a cancelled one may
 * lack an attempt count) without losing what an earlier event said.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { prepareQuery, sqliteBuilder as db } from './query-builder.ts';
import type { PreparedQuery } from './query-builder.ts';
import type { ArtifactsTable, CacheEntriesTable, LineageTable, LogsTable, MetricsTable, NodeRunsTable, RunsTable } from './schema.ts';

// Every column of each table, so that inserts name them all (the compiler checks completeness).
const runColumns: Record<keyof RunsTable, true> = {
  id: true, dag: true, file: true, status: true, params: true, executor: true,
  started_at: true, finished_at: true, error: true, node_count: true,
  owner_host: true, owner_pid: true, owner_token: true, heartbeat_at: true,
};
const nodeRunColumns: Record<keyof NodeRunsTable, true> = {
  run_id: true, node: true, task: true, status: true, cached: true, attempts: true,
  key: true, started_at: true, finished_at: true, duration_ms: true, error: true,
};
const metricColumns: Record<keyof MetricsTable, true> = { run_id: true, node: true, name: true, step: true, value: true };
const artifactColumns: Record<keyof ArtifactsTable, true> = { digest: true, kind: true, bytes: true };
const lineageColumns: Record<keyof LineageTable, true> = { run_id: true, node: true, direction: true, port: true, digest: true };
const cacheEntryColumns: Record<keyof CacheEntriesTable, true> = {
  key: true, task: true, outputs: true, material: true, created_at: true,
};

export type WriteStatements = ReturnType<typeof prepareWrites>;
export type AnyPrepared = PreparedQuery<any, unknown>;

/**
 * Prepares every write statement on `sqlite`.
 * @example
 * const writes = prepareWrites(sqlite);
 * writes.insertArtifact.run({ digest, kind: 'Table', bytes: 1024 });
 */
export function prepareWrites(sqlite: BetterSqlite3.Database) {
  return {
    upsertRun: prepareQuery<RunsTable>(sqlite, (a) =>
      db.insertInto('runs').values(a).onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        dag: eb.ref('excluded.dag'),
        file: eb.ref('excluded.file'),
        status: eb.ref('excluded.status'),
        params: eb.ref('excluded.params'),
        executor: eb.ref('excluded.executor'),
        started_at: eb.ref('excluded.started_at'),
        node_count: eb.ref('excluded.node_count'),
        owner_host: eb.ref('excluded.owner_host'),
        owner_pid: eb.ref('excluded.owner_pid'),
        owner_token: eb.ref('excluded.owner_token'),
        heartbeat_at: eb.ref('excluded.heartbeat_at'),
      }))), runColumns),

    // The live run's sign of life. A run a reader wrongly took for dead (another host, a heartbeat
    // held up by a blocked event loop) comes back to `running` here; its later events overwrite
    // the nodes that were marked interrupted.
    heartbeat: prepareQuery<{ id: string; at: number }>(sqlite, (a) =>
      db.updateTable('runs')
        .set({ heartbeat_at: a.at, status: 'running', finished_at: null, error: null })
        .where('id', '=', a.id).where('status', 'in', ['running', 'interrupted'])),

    // Nodes a run leaves without a final state (their last write was lost, or the process died)
    // end with the run: the run's last write carries this, in the same transaction.
    closeNodes: prepareQuery<{ run_id: string; at: number; error: string }>(sqlite, (a) =>
      db.updateTable('node_runs')
        .set((eb) => ({
          status: 'interrupted',
          finished_at: a.at,
          duration_ms: eb.fn.coalesce(eb.ref('duration_ms'), eb(eb.val(a.at), '-', eb.ref('started_at'))),
          error: a.error,
        }))
        .where('run_id', '=', a.run_id).where('status', 'in', ['running', 'pending'])),

    interruptRun: prepareQuery<{ id: string; at: number; error: string }>(sqlite, (a) =>
      db.updateTable('runs').set({ status: 'interrupted', finished_at: a.at, error: a.error })
        .where('id', '=', a.id).where('status', '=', 'running')),

    finishRun: prepareQuery<Pick<RunsTable, 'id' | 'status' | 'finished_at' | 'error'>>(sqlite, (a) =>
      db.updateTable('runs').set({ status: a.status, finished_at: a.finished_at, error: a.error }).where('id', '=', a.id)),

    upsertNodeRun: prepareQuery<NodeRunsTable>(sqlite, (a) =>
      db.insertInto('node_runs').values(a).onConflict((oc) => oc.columns(['run_id', 'node']).doUpdateSet((eb) => ({
        task: eb.ref('excluded.task'),
        status: eb.ref('excluded.status'),
        cached: eb.ref('excluded.cached'),
        // A retry's node-started carries attempt n; later events without a count must not reset it.
        attempts: eb.fn('max', [eb.ref('node_runs.attempts'), eb.ref('excluded.attempts')]),
        key: eb.fn.coalesce(eb.ref('excluded.key'), eb.ref('node_runs.key')),
        // The first attempt's start is the node's start.
        started_at: eb.fn.coalesce(eb.ref('node_runs.started_at'), eb.ref('excluded.started_at')),
        finished_at: eb.ref('excluded.finished_at'),
        // A cancelled node reports no duration: derive it from its recorded start.
        duration_ms: eb.fn.coalesce(
          eb.ref('excluded.duration_ms'),
          eb('excluded.finished_at', '-', eb.ref('node_runs.started_at')),
        ),
        error: eb.ref('excluded.error'),
      }))), nodeRunColumns),

    bumpAttempts: prepareQuery<Pick<NodeRunsTable, 'run_id' | 'node' | 'attempts'>>(sqlite, (a) =>
      db.updateTable('node_runs')
        .set((eb) => ({ attempts: eb.fn('max', [eb.ref('attempts'), eb.val(a.attempts)]) }))
        .where('run_id', '=', a.run_id).where('node', '=', a.node)),

    insertArtifact: prepareQuery<ArtifactsTable>(sqlite, (a) =>
      db.insertInto('artifacts').orIgnore().values(a), artifactColumns),

    putLineage: prepareQuery<LineageTable>(sqlite, (a) =>
      db.insertInto('lineage').orReplace().values(a), lineageColumns),

    putMetric: prepareQuery<MetricsTable>(sqlite, (a) =>
      db.insertInto('metrics').orReplace().values(a), metricColumns),

    putLog: prepareQuery<LogsTable>(sqlite, (a) =>
      db.insertInto('logs').values(a), { run_id: true, node: true, at: true, level: true, message: true }),

    putCacheEntry: prepareQuery<CacheEntriesTable>(sqlite, (a) =>
      db.insertInto('cache_entries').orReplace().values(a), cacheEntryColumns),

    deleteCacheEntry: prepareQuery<{ key: string }>(sqlite, (a) =>
      db.deleteFrom('cache_entries').where('key', '=', a.key)),
  };
}
