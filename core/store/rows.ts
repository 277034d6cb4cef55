/** Stored rows → the public records of store/types.ts (JSON parsed, 0/1 as booleans, NULL as NaN). */
import type { ErrorInfo } from '../errors.ts';
import type { OutputDigest } from '../run/events.ts';
import type { LineageRow } from './read-statements.ts';
import type { CacheEntriesTable, MetricsTable, NodeRunsTable, RunsTable } from './schema.ts';
import type { CacheEntry, MetricRecord, NodeRunRecord, RunRecord } from './types.ts';

/**
 * @example
 * const run = toRunRecord(reads.getRun.get({ id })!);
 */
export function toRunRecord(row: RunsTable): RunRecord {
  return {
    id: row.id, dag: row.dag, file: row.file, status: row.status,
    params: JSON.parse(row.params) as Record<string, unknown>,
    executor: row.executor, startedAt: row.started_at, finishedAt: row.finished_at,
    error: row.error, nodeCount: row.node_count,
  };
}

/**
 * Joins node rows with their lineage: outputs by port (with kind and size), inputs by port → digest.
 * @example
 * const nodes = toNodeRunRecords(reads.nodeRuns.all({ run_id }), reads.lineage.all({ run_id }));
 */
export function toNodeRunRecords(rows: NodeRunsTable[], lineage: LineageRow[]): NodeRunRecord[] {
  const byNode = new Map<string, NodeRunRecord>();
  const records = rows.map((row) => {
    const record: NodeRunRecord = {
      runId: row.run_id, node: row.node, task: row.task, status: row.status, cached: row.cached === 1,
      attempts: row.attempts, key: row.key, startedAt: row.started_at, finishedAt: row.finished_at,
      durationMs: row.duration_ms, error: row.error === null ? null : (JSON.parse(row.error) as ErrorInfo),
      outputs: {}, inputs: {},
    };
    byNode.set(row.node, record);
    return record;
  });
  for (const l of lineage) {
    const record = byNode.get(l.node);
    if (!record) continue;
    if (l.direction === 'in') record.inputs[l.port] = l.digest;
    else record.outputs[l.port] = { digest: l.digest, kind: l.kind ?? 'unknown', bytes: l.bytes ?? 0 };
  }
  return records;
}

/**
 * @example
 * const points = reads.metrics.all({ run_id }).map(toMetricRecord);
 */
export function toMetricRecord(row: MetricsTable): MetricRecord {
  return { runId: row.run_id, node: row.node, name: row.name, step: row.step, value: row.value ?? Number.NaN };
}

/**
 * @example
 * const entry = toCacheEntry(reads.getCacheEntry.get({ key })!);
 */
export function toCacheEntry(row: CacheEntriesTable): CacheEntry {
  return {
    key: row.key, task: row.task, outputs: JSON.parse(row.outputs) as Record<string, OutputDigest>,
    material: row.material, createdAt: row.created_at,
  };
}
