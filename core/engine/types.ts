import type { Observable } from 'rxjs';
import type { NodeStatus, RunEvent, RunStatus } from '../scheduler/events.ts';

export type ExecutorName = 'inprocess' | 'threads';

/** Options of one run. */
export interface RunOptions {
  /** Workspace folder (`.mlcycle/` in cwd by default; `--home`, `MLCYCLE_HOME`). */
  home?: string;
  /** How many nodes run at once; default: number of cores. */
  concurrency?: number;
  /** `threads` forces every task into the worker pool; default runs in-process unless a task asks. */
  executor?: ExecutorName;
  /** Execute every node even when its key is cached (results still stored). */
  noCache?: boolean;
  /** Aborting cancels the run: running nodes see their signal aborted; status becomes cancelled. */
  signal?: AbortSignal;
  /** Base seed for `ctx.seed` (default 0). */
  seed?: number;
}

/** One node's line in a run summary (and in `--json`). */
export interface NodeSummary {
  id: string;
  task: string;
  status: NodeStatus;
  cached: boolean;
  attempts: number;
  durationMs: number;
  error?: string;
  /** The error's code when failed: `DATA` / `VALIDATION` mean the input was invalid (CLI exit 2). */
  errorCode?: string;
}

/** What a finished run returns. */
export interface RunSummary {
  runId: string;
  dag: string;
  status: Exclude<RunStatus, 'running'>;
  durationMs: number;
  nodes: NodeSummary[];
  /** Each DAG result by name: the decoded value for Json/Metrics results, else `{ digest, kind }`. */
  outputs: Record<string, unknown>;
  /** Set when the run failed: which node, its error, how to resume. */
  failure?: string;
}

/** A started run: subscribe to `events$` before awaiting `done` to see every event. */
export interface RunHandle {
  runId: string;
  events$: Observable<RunEvent>;
  done: Promise<RunSummary>;
}

/** What `plan` says about one node. */
export interface PlanEntry {
  id: string;
  task: string;
  key: string | null;
  state: 'cached' | 'stale' | 'new';
  /** Why stale or new: `param lr changed (0.01 → 0.1)`, `input table changed`, `code changed: plugins/x.ts`. */
  reasons: string[];
}
