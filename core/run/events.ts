import type { ErrorInfo } from '../errors.ts';
import type { StepMetrics } from '../task/types.ts';

/**
 * Final state of a node in a run. `pruned`: a sweep's pruner stopped the run (its signal aborted
 * with a PrunedError) while this node ran, waited or had not started; like `cancelled`, it cached nothing.
 */
export type NodeStatus = 'pending' | 'running' | 'succeeded' | 'cached' | 'failed' | 'skipped' | 'cancelled' | 'pruned';
/** A run's state; `pruned` when a sweep's pruner stopped it (see NodeStatus). */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'pruned';

interface Base {
  runId: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/**
 * Every state change of a run, on one stream. The CLI renders it, the store records it.
 * Output digests travel by port name; `outputs` is set on `node-succeeded` and `node-cached`, and
 * `metrics` holds the values of the node's Metrics outputs (final scores), flattened as `port.name`
 * when a node has more than one Metrics output, else by metric name. `node-pruned` carries the
 * pruner's reason and the step it judged (the same for every node the prune stopped).
 * `node-cancelled` and `node-pruned` carry the attempts the node started in this run and how long it
 * had been going (absent: a reducer takes the last `node-started` attempt and the time since the first).
 * core/run/reduce-run.ts folds the stream into each node's outcome and the run's failure text.
 */
export type RunEvent =
  | (Base & { type: 'run-started'; dag: string; file?: string; params: Record<string, unknown>; nodeCount: number; executor: string; concurrency: number })
  | (Base & { type: 'node-cached'; node: string; task: string; key: string; outputs: Record<string, OutputDigest>; metrics?: Record<string, number> })
  | (Base & { type: 'node-started'; node: string; task: string; key: string; attempt: number })
  | (Base & { type: 'node-log'; node: string; level: 'info' | 'warn' | 'debug'; message: string })
  | (Base & { type: 'node-metric'; node: string; step: number; metrics: StepMetrics })
  | (Base & { type: 'node-retrying'; node: string; attempt: number; delayMs: number; error: ErrorInfo })
  | (Base & { type: 'node-succeeded'; node: string; task: string; key: string; attempts: number; durationMs: number; outputs: Record<string, OutputDigest>; inputs: Record<string, string>; metrics?: Record<string, number> })
  | (Base & { type: 'node-failed'; node: string; task: string; key: string; attempts: number; durationMs: number; error: ErrorInfo })
  | (Base & { type: 'node-skipped'; node: string; task: string; reason: string })
  | (Base & { type: 'node-cancelled'; node: string; task: string; attempts?: number; durationMs?: number })
  | (Base & { type: 'node-pruned'; node: string; task: string; reason: string; step: number | null; attempts?: number; durationMs?: number })
  | (Base & { type: 'run-finished'; status: Exclude<RunStatus, 'running'>; durationMs: number; error?: string });

export type RunEventType = RunEvent['type'];

/** An output artifact as stored: digest, kind and size in bytes. */
export interface OutputDigest {
  digest: string;
  kind: string;
  bytes: number;
}
