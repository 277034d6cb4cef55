/**
 * Turns run events into row writes. Pure apart from the statements it names: the store decides
 * when the writes run (batched in one transaction), this decides what they are.
 */
import type { ErrorInfo } from '../errors.ts';
import type { NodeStatus, OutputDigest, RunEvent } from '../run/events.ts';
import type { RunOwner } from './run-owner.ts';
import type { NodeRunsTable } from './schema.ts';
import type { AnyPrepared, WriteStatements } from './write-statements.ts';

/** One pending row write: a prepared statement and its named arguments. */
export interface PendingWrite {
  query: AnyPrepared;
  args: object;
}

/** What the store must do after buffering an event's writes. */
export type FlushHint = 'now' | 'later';

/**
 * Appends the writes an event implies to `out` and says whether they must be flushed at once
 * (run boundaries, so `runs ls` sees a run as soon as it starts and as soon as it ends).
 * `node-log` keeps info and warn lines; `node-retrying` only raises the attempt count.
 * @example
 * const out: PendingWrite[] = [];
 * if (eventWrites(event, writes, out, currentOwner()) === 'now') flush();
 */
export function eventWrites(event: RunEvent, w: WriteStatements, out: PendingWrite[], owner: RunOwner): FlushHint {
  const run_id = event.runId;
  switch (event.type) {
    case 'run-started':
      out.push({ query: w.upsertRun, args: {
        id: run_id, dag: event.dag, file: event.file ?? null, status: 'running', params: JSON.stringify(event.params ?? {}),
        executor: event.executor, started_at: event.at, finished_at: null, error: null, node_count: event.nodeCount,
        owner_host: owner.host, owner_pid: owner.pid, owner_token: owner.token, heartbeat_at: event.at,
      } });
      return 'now';
    case 'run-finished':
      out.push({ query: w.finishRun, args: { id: run_id, status: event.status, finished_at: event.at, error: event.error ?? null } });
      // In the same commit, so that no record ever shows a node running inside an ended run.
      out.push({ query: w.closeNodes, args: { run_id, at: event.at, error: interruptedError(`the run ended (${event.status}) before this node's final state was recorded`) } });
      return 'now';
    case 'node-started':
      out.push(nodeRow(w, { run_id, node: event.node, task: event.task, status: 'running', attempts: event.attempt, key: event.key, started_at: event.at }));
      return 'later';
    case 'node-retrying':
      out.push({ query: w.bumpAttempts, args: { run_id, node: event.node, attempts: event.attempt } });
      return 'later';
    case 'node-succeeded':
      out.push(nodeRow(w, {
        run_id, node: event.node, task: event.task, status: 'succeeded', attempts: event.attempts, key: event.key,
        started_at: event.at - event.durationMs, finished_at: event.at, duration_ms: event.durationMs,
      }));
      outputWrites(w, run_id, event.node, event.outputs, out);
      for (const [port, digest] of Object.entries(event.inputs)) {
        out.push({ query: w.putLineage, args: { run_id, node: event.node, direction: 'in', port, digest } });
      }
      metricWrites(w, run_id, event.node, null, event.metrics, out);
      return 'later';
    case 'node-cached':
      out.push(nodeRow(w, {
        run_id, node: event.node, task: event.task, status: 'cached', cached: 1, key: event.key,
        started_at: event.at, finished_at: event.at, duration_ms: 0,
      }));
      outputWrites(w, run_id, event.node, event.outputs, out);
      metricWrites(w, run_id, event.node, null, event.metrics, out);
      return 'later';
    case 'node-metric':
      metricWrites(w, run_id, event.node, event.step, event.metrics, out);
      return 'later';
    case 'node-failed':
      out.push(nodeRow(w, {
        run_id, node: event.node, task: event.task, status: 'failed', attempts: event.attempts, key: event.key,
        started_at: event.at - event.durationMs, finished_at: event.at, duration_ms: event.durationMs, error: errorJson(event.error),
      }));
      return 'later';
    case 'node-skipped':
      // The reason (which upstream node failed) is what `runs show` should say about a skipped node.
      out.push(nodeRow(w, {
        run_id, node: event.node, task: event.task, status: 'skipped', finished_at: event.at, duration_ms: 0,
        error: errorJson({ name: 'Skipped', code: 'SKIPPED', message: event.reason, retryable: false }),
      }));
      return 'later';
    case 'node-cancelled':
      out.push(nodeRow(w, { run_id, node: event.node, task: event.task, status: 'cancelled', finished_at: event.at }));
      return 'later';
    case 'node-pruned':
      // The pruner's reason is what `runs show` should say about a pruned node; no duration is
      // given, so the upsert derives it from the node's recorded start (none if it never started).
      out.push(nodeRow(w, {
        run_id, node: event.node, task: event.task, status: 'pruned', finished_at: event.at,
        error: errorJson({ name: 'PrunedError', code: 'PRUNED', message: event.reason, retryable: false }),
      }));
      return 'later';
    case 'node-log':
      // Debug lines are for a live terminal; what is worth keeping is info and warn.
      if (event.level !== 'debug') out.push({ query: w.putLog, args: { run_id, node: event.node, at: event.at, level: event.level, message: event.message } });
      return 'later';
    default: {
      // Exhaustive at compile time; at run time a newer scheduler's event is ignored, not fatal.
      const unknown: never = event;
      void unknown;
      return 'later';
    }
  }
}

type NodeRowInput = Pick<NodeRunsTable, 'run_id' | 'node' | 'task'> & { status: NodeStatus } & Partial<NodeRunsTable>;

function nodeRow(w: WriteStatements, row: NodeRowInput): PendingWrite {
  const args: NodeRunsTable = {
    cached: 0, attempts: 0, key: null, started_at: null, finished_at: null, duration_ms: null, error: null, ...row,
  };
  return { query: w.upsertNodeRun, args };
}

function outputWrites(
  w: WriteStatements, run_id: string, node: string, outputs: Record<string, OutputDigest>, out: PendingWrite[],
): void {
  for (const [port, o] of Object.entries(outputs)) {
    out.push({ query: w.insertArtifact, args: { digest: o.digest, kind: o.kind, bytes: o.bytes } });
    out.push({ query: w.putLineage, args: { run_id, node, direction: 'out', port, digest: o.digest } });
  }
}

function metricWrites(
  w: WriteStatements, run_id: string, node: string, step: number | null,
  metrics: Record<string, number> | undefined, out: PendingWrite[],
): void {
  if (!metrics) return;
  for (const [name, value] of Object.entries(metrics)) {
    // SQLite turns NaN into NULL anyway; say so explicitly, and read NULL back as NaN.
    out.push({ query: w.putMetric, args: { run_id, node, name, step, value: Number.isNaN(value) ? null : value } });
  }
}

/**
 * The stored error of an interrupted node or run: retryable, since re-running resumes it.
 * @example
 * interruptedError('process 42 on vm is no longer running'); // '{"name":"Interrupted",…}'
 */
export function interruptedError(message: string): string {
  return errorJson({ name: 'Interrupted', code: 'INTERRUPTED', message, retryable: true });
}

function errorJson(error: ErrorInfo): string {
  return JSON.stringify(error);
}
