import type { ErrorInfo } from '../errors.ts';
import type { NodeStatus, OutputDigest, RunEvent, RunStatus } from '../run/events.ts';

/**
 * A run's status as recorded: what the engine reports, plus `interrupted` for a run whose process
 * ended without finishing its record (kill -9, out of memory, power cut), found when the store opens.
 */
export type RecordedRunStatus = RunStatus | 'interrupted';

/** A node's status as recorded: `interrupted` when its run's process ended while it ran. */
export type RecordedNodeStatus = NodeStatus | 'interrupted';

/** A run as listed by `mlcycle runs ls`. */
export interface RunRecord {
  id: string;
  dag: string;
  file: string | null;
  status: RecordedRunStatus;
  params: Record<string, unknown>;
  executor: string;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
  nodeCount: number;
}

/** A node's run, as shown by `mlcycle runs show`. */
export interface NodeRunRecord {
  runId: string;
  node: string;
  task: string;
  status: RecordedNodeStatus;
  cached: boolean;
  attempts: number;
  key: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  error: ErrorInfo | null;
  outputs: Record<string, OutputDigest>;
  inputs: Record<string, string>;
}

export interface MetricRecord {
  runId: string;
  node: string;
  name: string;
  /** null for final metrics (a Metrics output), the step for per-step ones. */
  step: number | null;
  value: number;
}

/** A line a task logged through ctx.log. */
export interface LogRecord {
  runId: string;
  node: string;
  at: number;
  level: 'info' | 'warn';
  message: string;
}

/** A cache entry: the outputs a key produced. */
export interface CacheEntry {
  key: string;
  task: string;
  outputs: Record<string, OutputDigest>;
  /** The canonical key material, so `plan` can say what changed. */
  material: string;
  createdAt: number;
}

/**
 * The run store: metadata only (blobs live in the blob store). SQLite now, PostgreSQL later behind the
 * same interface. Writes from the event stream are batched; `flush()` makes them durable.
 */
export interface RunStore {
  /**
   * True when the store was opened read-only (asked for, or the file or its folder cannot be
   * written): reads work, every write throws an error saying the store is read-only.
   */
  readonly readOnly: boolean;
  /** Records one event (buffered; flushed in batches and on run-finished). */
  record(event: RunEvent): void;
  flush(): void;
  getCacheEntry(key: string): CacheEntry | undefined;
  putCacheEntry(entry: CacheEntry): void;
  deleteCacheEntry(key: string): void;
  /** The most recent cache entry for a node of a DAG (the first of `entriesForNode`). */
  lastEntryForNode(dag: string, node: string): CacheEntry | undefined;
  /**
   * The distinct cache entries a node of a DAG produced or was served by finished runs, most recently
   * used first, at most `limit` (default 200): what `plan` compares the node with, to explain a change
   * against the closest earlier configuration rather than the last one (in a study, the last trial).
   */
  entriesForNode(dag: string, node: string, options?: { limit?: number }): CacheEntry[];
  listRuns(options?: { limit?: number; dag?: string }): RunRecord[];
  getRun(id: string): RunRecord | undefined;
  /** Resolves a unique id prefix; undefined if none or ambiguous. */
  resolveRunId(prefix: string): string | undefined;
  nodeRuns(runId: string): NodeRunRecord[];
  metrics(runId: string): MetricRecord[];
  /** Info and warn lines the run's tasks logged, in order. */
  logs(runId: string): LogRecord[];
  /** Every digest referenced by a run's lineage or a cache entry (for `cache gc`). */
  referencedDigests(): Set<string>;
  close(): void;
}
