/**
 * The run store's schema as an ordered list of migrations. The schema version is the number of
 * migrations applied, kept in `PRAGMA user_version`; a PostgreSQL backend would keep the same list
 * (the steps are kysely schema builders, so they compile for either dialect) and track the version
 * in a table instead. Append new migrations; never edit one that has shipped.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { MlcycleError } from '../errors.ts';
import { sqliteBuilder } from './query-builder.ts';

/** One schema change: the statements that make it, in order. */
export type Migration = (db: Kysely<any>) => Compilable[];

export const migrations: readonly Migration[] = [
  // 1: the initial schema.
  (db) => [
    db.schema.createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dag', 'text', (c) => c.notNull())
      .addColumn('file', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('executor', 'text', (c) => c.notNull())
      .addColumn('started_at', 'integer', (c) => c.notNull())
      .addColumn('finished_at', 'integer')
      .addColumn('error', 'text')
      .addColumn('node_count', 'integer', (c) => c.notNull()),
    db.schema.createIndex('runs_by_dag').on('runs').columns(['dag', 'started_at']),
    db.schema.createIndex('runs_by_start').on('runs').columns(['started_at']),

    db.schema.createTable('node_runs')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cached', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('key', 'text')
      .addColumn('started_at', 'integer')
      .addColumn('finished_at', 'integer')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('node_runs_pk', ['run_id', 'node']),
    // `lastEntryForNode` looks a node up across runs. Not on finished_at: that changes on every
    // node's second write, and keeping it out of the index makes that write cheaper.
    db.schema.createIndex('node_runs_by_node').on('node_runs').column('node'),

    db.schema.createTable('metrics')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('step', 'integer')
      .addColumn('value', 'real'),
    // One value per point, so a retried node's re-reported steps replace the failed attempt's.
    // NULL steps are distinct in a UNIQUE index, hence coalesce (final metrics use no step).
    db.schema.createIndex('metrics_point').unique().on('metrics')
      .expression(sql`run_id, node, name, coalesce(step, -1)`),

    db.schema.createTable('artifacts')
      .addColumn('digest', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull()),

    db.schema.createTable('lineage')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in', 'out')`))
      .addColumn('port', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lineage_pk', ['run_id', 'node', 'direction', 'port']),
    // "which runs produced or used this artifact", for `cache gc` and later provenance views.
    db.schema.createIndex('lineage_by_digest').on('lineage').columns(['digest']),

    db.schema.createTable('cache_entries')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('outputs', 'text', (c) => c.notNull())
      .addColumn('material', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull()),
  ],
  // 2: task logs, so a run keeps what its tasks said (the TensorFlow.js backend, warnings).
  (db) => [
    db.schema.createTable('logs')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull()),
    db.schema.createIndex('logs_by_run').on('logs').columns(['run_id']),
  ],
  // 3: who owns a running run (run-owner.ts), so a run whose process died (kill -9, OOM, power cut)
  // can be found and marked interrupted; and a one-off repair of records older versions left
  // inconsistent: nodes still running or pending inside a run that has ended.
  (db) => [
    db.schema.alterTable('runs').addColumn('owner_host', 'text'),
    db.schema.alterTable('runs').addColumn('owner_pid', 'integer'),
    db.schema.alterTable('runs').addColumn('owner_token', 'text'),
    db.schema.alterTable('runs').addColumn('heartbeat_at', 'integer'),
    // Every open looks for running runs: a partial index keeps that lookup off the full history.
    db.schema.createIndex('runs_running').on('runs').column('status').where(sql.ref('status'), '=', 'running'),
    raw(db, sql`update node_runs set status = 'interrupted', finished_at = coalesce(finished_at, (select finished_at from runs where runs.id = node_runs.run_id)),
      error = coalesce(error, ${LEGACY_ERROR})
      where status in ('running', 'pending') and run_id in (select id from runs where status <> 'running')`),
  ],
  // 4: sweeps (study-store.ts): a study, its trials and their intermediate values, owned like runs
  // (owner columns as in 3) so that a study whose process died is found and resumed. Trial values
  // are REAL, with NaN kept as the text 'NaN' (SQLite turns a NaN REAL into NULL).
  (db) => [
    db.schema.createTable('studies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('dag', 'text', (c) => c.notNull())
      .addColumn('file', 'text')
      .addColumn('objective', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('minimize', 'maximize')`))
      .addColumn('space', 'text', (c) => c.notNull())
      .addColumn('sampler', 'text', (c) => c.notNull())
      .addColumn('pruner', 'text', (c) => c.notNull())
      .addColumn('prune_on', 'text', (c) => c.notNull())
      .addColumn('fixed', 'text', (c) => c.notNull())
      .addColumn('trials', 'integer', (c) => c.notNull())
      .addColumn('parallel', 'integer', (c) => c.notNull())
      .addColumn('seed', 'integer', (c) => c.notNull())
      .addColumn('cwd', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('finished_at', 'integer')
      .addColumn('error', 'text')
      .addColumn('owner_host', 'text')
      .addColumn('owner_pid', 'integer')
      .addColumn('owner_token', 'text')
      .addColumn('heartbeat_at', 'integer'),
    db.schema.createIndex('studies_by_created').on('studies').columns(['created_at']),
    db.schema.createIndex('studies_running').on('studies').column('status').where(sql.ref('status'), '=', 'running'),

    db.schema.createTable('trials')
      .addColumn('study_id', 'text', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('value', 'real')
      .addColumn('attrs', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('started_at', 'integer')
      .addColumn('finished_at', 'integer')
      .addColumn('error', 'text')
      .addColumn('pruned_step', 'integer')
      .addPrimaryKeyConstraint('trials_pk', ['study_id', 'number']),
    // "which trial made this run", for `runs show` and the sweep report.
    db.schema.createIndex('trials_by_run').on('trials').column('run_id'),

    db.schema.createTable('trial_values')
      .addColumn('study_id', 'text', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('value', 'real', (c) => c.notNull())
      .addPrimaryKeyConstraint('trial_values_pk', ['study_id', 'number', 'step']),
  ],
  // 5: the model registry (core/registry): versions of named models, each an immutable copy of a
  // bundle; aliases pointing at versions; every alias move appended to a history never rewritten;
  // free-form tags per version. JSON columns are TEXT as elsewhere.
  (db) => [
    db.schema.createTable('model_versions')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('manifest_sha256', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('lineage', 'text', (c) => c.notNull())
      .addColumn('registered_at', 'integer', (c) => c.notNull())
      .addColumn('registered_by', 'text', (c) => c.notNull())
      .addColumn('why', 'text')
      .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version']),
    db.schema.createTable('model_aliases')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_aliases_pk', ['name', 'alias']),
    db.schema.createTable('model_alias_history')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('from_version', 'integer')
      .addColumn('to_version', 'integer', (c) => c.notNull())
      .addColumn('by', 'text', (c) => c.notNull())
      .addColumn('why', 'text')
      .addColumn('at', 'integer', (c) => c.notNull()),
    db.schema.createIndex('model_alias_history_by_name').on('model_alias_history').columns(['name', 'seq']),
    db.schema.createTable('model_tags')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_tags_pk', ['name', 'version', 'key']),
  ],
];

const LEGACY_ERROR = JSON.stringify({
  name: 'Interrupted', code: 'INTERRUPTED', retryable: true,
  message: 'its final state was never recorded (the run ended without it); re-run to resume',
});

/** A raw statement as a migration step (kysely's schema builder has no UPDATE). */
function raw(db: Kysely<any>, statement: RawBuilder<unknown>): Compilable {
  return { compile: () => statement.compile(db) };
}

/**
 * Brings the database at `file` up to the latest schema, in one immediate transaction so that two
 * processes opening a new file at once do not both migrate (the second sees the new version).
 * @example
 * migrate(new Database('.mlcycle/mlcycle.db'), '.mlcycle/mlcycle.db'); // → 1
 */
export function migrate(sqlite: BetterSqlite3.Database, file: string): number {
  const apply = sqlite.transaction(() => {
    const current = sqlite.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new MlcycleError(
        `openRunStore: run store '${file}' has schema version ${current}, newer than this mlcycle knows ` +
          `(${migrations.length}); upgrade mlcycle, or point --home at another workspace`,
      );
    }
    for (let version = current; version < migrations.length; version++) {
      for (const step of migrations[version](sqliteBuilder)) {
        const { sql: text, parameters } = step.compile();
        sqlite.prepare(text).run(...parameters);
      }
    }
    // PRAGMA takes no bound parameters; the value is our own integer.
    sqlite.pragma(`user_version = ${migrations.length}`);
    return migrations.length;
  });
  return apply.immediate();
}
