import type { OutputDigest } from '../run/events.ts';
import type { StepMetrics, TaskContext, TaskRef } from '../task/types.ts';

/** An input artifact by digest; fan-in ports get a list. */
export interface InputArtifact {
  digest: string;
  kind: string;
}

/**
 * Everything needed to execute one attempt of one node, as plain data: it crosses thread (and later
 * machine) boundaries, so it holds references and digests, never live objects.
 */
export interface ExecRequest {
  task: TaskRef;
  nodeId: string;
  params: Record<string, unknown>;
  inputs: Record<string, InputArtifact | InputArtifact[]>;
  /** The blob store folder (`<home>/objects`). */
  objectsRoot: string;
  /** The workspace folder, absolute (TaskContext.home). */
  home: string;
  seed: number;
  attempt: number;
  /** See TaskContext.threads; 1 when absent. */
  threads?: number;
  run: TaskContext['run'];
}

export interface ExecResult {
  outputs: Record<string, OutputDigest>;
  /** Values of Metrics outputs (see RunEvent node-succeeded). */
  metrics?: Record<string, number>;
}

/** Callbacks for what a running task says. */
export interface ExecHooks {
  signal: AbortSignal;
  onLog(level: 'info' | 'warn' | 'debug', message: string): void;
  onReport(step: number, metrics: StepMetrics): void;
}

/**
 * Runs node attempts. In-process and worker threads now; BullMQ workers later, through this same
 * interface, which is why requests are plain data.
 */
export interface Executor {
  readonly name: string;
  execute(request: ExecRequest, hooks: ExecHooks): Promise<ExecResult>;
  /** Optional: prepare to run these tasks soon (load their modules), without waiting. */
  warm?(tasks: TaskRef[]): void;
  close(): Promise<void>;
}
