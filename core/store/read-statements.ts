/**
 * The store's reads, compiled once per connection (see query-builder.ts for why kysely only
 * compiles). Rows come back as stored; rows.ts turns them into the public records.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { prepareQuery, sqliteBuilder as db } from './query-builder.ts';
import type { CacheEntriesTable, LineageTable, LogsTable, MetricsTable, NodeRunsTable, RunsTable } from './schema.ts';

export type ReadStatements = ReturnType<typeof prepareReads>;

/** A lineage row with its artifact's kind and size (null for an input never recorded as an output). */
export type LineageRow = Pick<LineageTable, 'node' | 'direction' | 'port' | 'digest'> & { kind: string | null; bytes: number | null };

/**
 * Prepares every read statement on `sqlite`.
 * @example
 * const reads = prepareReads(sqlite);
 * reads.getRun.get({ id });
 */
export function prepareReads(sqlite: BetterSqlite3.Database) {
  return {
    getRun: prepareQuery<{ id: string }, RunsTable>(sqlite, (a) =>
      db.selectFrom('runs').selectAll().where('id', '=', a.id)),

    // `dag` null lists every DAG; `limit` -1 is SQLite for "no limit".
    listRuns: prepareQuery<{ dag: string | null; limit: number }, RunsTable>(sqlite, (a) =>
      db.selectFrom('runs').selectAll()
        .where((eb) => eb.or([eb(eb.val(a.dag), 'is', null), eb('dag', '=', a.dag as string)]))
        .orderBy('started_at', 'desc').orderBy('id', 'desc')
        .limit(a.limit)),

    // A half-open range on the primary key, so the lookup uses the index (LIKE would not, and needs escaping).
    runIdsInRange: prepareQuery<{ from: string; to: string }, { id: string }>(sqlite, (a) =>
      db.selectFrom('runs').select('id').where('id', '>=', a.from).where('id', '<', a.to).limit(2)),

    runningRuns: prepareQuery<Record<string, never>, RunsTable>(sqlite, () =>
      db.selectFrom('runs').selectAll().where('status', '=', 'running')),

    // The last thing a run's nodes did: when a run found dead was last seen alive.
    lastNodeActivity: prepareQuery<{ run_id: string }, { at: number | null }>(sqlite, (a) =>
      db.selectFrom('node_runs')
        .select((eb) => eb.fn.max(eb.fn.coalesce('finished_at', 'started_at')).as('at'))
        .where('run_id', '=', a.run_id)),

    // rowid keeps the order in which nodes first appeared in the run (roughly execution order).
    nodeRuns: prepareQuery<{ run_id: string }, NodeRunsTable>(sqlite, (a) =>
      db.selectFrom('node_runs').selectAll().where('run_id', '=', a.run_id).orderBy(sql`rowid`)),

    lineage: prepareQuery<{ run_id: string }, LineageRow>(sqlite, (a) =>
      db.selectFrom('lineage')
        .leftJoin('artifacts', 'artifacts.digest', 'lineage.digest')
        .select(['lineage.node', 'lineage.direction', 'lineage.port', 'lineage.digest', 'artifacts.kind', 'artifacts.bytes'])
        .where('lineage.run_id', '=', a.run_id)),

    metrics: prepareQuery<{ run_id: string }, MetricsTable>(sqlite, (a) =>
      db.selectFrom('metrics').selectAll().where('run_id', '=', a.run_id).orderBy(sql`rowid`)),

    logs: prepareQuery<{ run_id: string }, LogsTable>(sqlite, (a) =>
      db.selectFrom('logs').selectAll().where('run_id', '=', a.run_id).orderBy(sql`rowid`)),

    getCacheEntry: prepareQuery<{ key: string }, CacheEntriesTable>(sqlite, (a) =>
      db.selectFrom('cache_entries').selectAll().where('key', '=', a.key)),

    // The distinct cache entries a node of a DAG produced or was served, most recently used first, at
    // most `limit`: what `plan` compares a node with. Two bounds keep this fast after a 10,000-trial
    // study: only the node's newest `scan` node runs are read (rowid order is the order node runs were
    // first recorded, and the node index walks it backwards), and the keys are chosen before the wide
    // cache rows (their material) are read. Run ids are time-sortable: they break ties.
    entriesForNode: prepareQuery<{ dag: string; node: string; limit: number; scan: number }, CacheEntriesTable>(sqlite, (a) =>
      db.selectFrom((eb) => eb.selectFrom((inner) => inner.selectFrom('node_runs')
        .select(['key', 'run_id', 'finished_at', 'status'])
        .where('node', '=', a.node)
        .orderBy(sql`rowid`, 'desc')
        .limit(a.scan)
        .as('recent'))
        .innerJoin('runs', 'runs.id', 'recent.run_id')
        .select((s) => ['recent.key', s.fn.max('recent.finished_at').as('last_at'), s.fn.max('recent.run_id').as('last_run')])
        .where('runs.dag', '=', a.dag)
        .where('recent.status', 'in', ['succeeded', 'cached'])
        .where((w) => w.exists(w.selectFrom('cache_entries as present').select('present.key').whereRef('present.key', '=', 'recent.key')))
        .groupBy('recent.key')
        .orderBy('last_at', 'desc').orderBy('last_run', 'desc')
        .limit(a.limit)
        .as('chosen'))
        .innerJoin('cache_entries', 'cache_entries.key', 'chosen.key')
        .selectAll('cache_entries')
        .orderBy('chosen.last_at', 'desc').orderBy('chosen.last_run', 'desc')),

    lineageDigests: prepareQuery<Record<string, never>, { digest: string }>(sqlite, () =>
      db.selectFrom('lineage').select('digest').distinct()),

    cacheOutputs: prepareQuery<Record<string, never>, { outputs: string }>(sqlite, () =>
      db.selectFrom('cache_entries').select('outputs')),
  };
}
