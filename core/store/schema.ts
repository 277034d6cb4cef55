/**
 * Row types of the run store's tables, as kysely sees them. Columns are snake_case as stored; JSON
 * columns are TEXT (SQLite has no JSON type, and PostgreSQL can read them as text or jsonb alike).
 * Booleans are 0/1 integers because SQLite has no boolean either.
 */
import type { RecordedNodeStatus, RecordedRunStatus } from './types.ts';

export interface RunsTable {
  id: string;
  dag: string;
  file: string | null;
  status: RecordedRunStatus;
  /** JSON object of the run's resolved DAG parameters. */
  params: string;
  executor: string;
  started_at: number;
  finished_at: number | null;
  error: string | null;
  node_count: number;
  /** The process that recorded the run (run-owner.ts); null in runs older than schema 3. */
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
  /** Last time the live run said it is alive (ms since the epoch). */
  heartbeat_at: number | null;
}

export interface NodeRunsTable {
  run_id: string;
  node: string;
  task: string;
  status: RecordedNodeStatus;
  cached: 0 | 1;
  attempts: number;
  key: string | null;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  /** JSON of an ErrorInfo. */
  error: string | null;
}

export interface MetricsTable {
  run_id: string;
  node: string;
  name: string;
  /** null for a final metric, the step (epoch…) for one reported during the run. */
  step: number | null;
  /** null stands for NaN, which SQLite cannot store as a REAL. */
  value: number | null;
}

export interface ArtifactsTable {
  digest: string;
  kind: string;
  bytes: number;
}

export interface LineageTable {
  run_id: string;
  node: string;
  direction: 'in' | 'out';
  port: string;
  digest: string;
}

export interface CacheEntriesTable {
  key: string;
  task: string;
  /** JSON of `Record<port, OutputDigest>`. */
  outputs: string;
  material: string;
  created_at: number;
}

/** What tasks said through ctx.log (info and warn; debug is not kept). */
export interface LogsTable {
  run_id: string;
  node: string;
  at: number;
  level: 'info' | 'warn';
  message: string;
}

/** The whole schema, for `Kysely<StoreDb>`. */
export interface StoreDb {
  logs: LogsTable;
  runs: RunsTable;
  node_runs: NodeRunsTable;
  metrics: MetricsTable;
  artifacts: ArtifactsTable;
  lineage: LineageTable;
  cache_entries: CacheEntriesTable;
}
