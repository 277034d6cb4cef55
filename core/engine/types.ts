import type { Observable } from 'rxjs';
import type { BuiltDag, DagDefinition } from '../dag/types.ts';
import type { RunEvent, RunStatus } from '../run/events.ts';
import type { NodeRunState } from '../run/reduce-run.ts';
import type { Workspace } from './workspace.ts';

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
  /**
   * Aborting cancels the run: running nodes see their signal aborted; status becomes cancelled.
   * Aborting with a PrunedError as the reason (a sweep's pruner) prunes it: status `pruned`.
   */
  signal?: AbortSignal;
  /** Base seed for `ctx.seed` (default 0). */
  seed?: number;
}

/** What a session is opened with: the workspace and the executors every run in it shares. */
export interface SessionOptions {
  /** Workspace folder (`.mlcycle/` in cwd by default; `--home`, `MLCYCLE_HOME`). */
  home?: string;
  /** Cores the session's runs share: each run's default node concurrency, the worker pool's size and what TaskContext.threads divides; default: number of cores. */
  concurrency?: number;
  /** Each run's default executor (see RunOptions.executor). */
  executor?: ExecutorName;
}

/** Options of one run inside a session; unset ones take the session's. */
export interface SessionRunOptions {
  /** How many nodes of this run execute (or wait) at once. */
  concurrency?: number;
  executor?: ExecutorName;
  /** Execute every node even when cached; such a run never waits on another run's execution either. */
  noCache?: boolean;
  /**
   * Aborting cancels this run only: an execution another run waits on goes on for that run. With a
   * PrunedError as the reason the run ends `pruned`, and so do its unfinished nodes.
   */
  signal?: AbortSignal;
  /** Base seed for `ctx.seed` (default 0). */
  seed?: number;
  /** When `session.run` builds a DagDefinition: the folder its relative paths resolve against, and its file. */
  cwd?: string;
  file?: string;
}

/**
 * A workspace, its executors and the node executions in flight, shared by the runs started in it
 * (see openSession). Runs may overlap; a node key executes at most once at a time in a session.
 */
export interface Session {
  readonly home: string;
  /** The session's workspace: read results and the store while runs go on; closed by `close()`. */
  readonly workspace: Workspace;
  /**
   * Starts a run of `dag` (a built DAG, or a definition built here with `params`; a build error
   * throws at once, before anything is recorded). Returns at once; the run starts on the next tick.
   */
  run(dag: BuiltDag | DagDefinition, params?: Record<string, unknown>, options?: SessionRunOptions): RunHandle;
  /** Runs started and not yet finished. */
  readonly activeRuns: number;
  /** Cancels the runs still going, waits for them, then closes the executors and the workspace. Idempotent. */
  close(): Promise<void>;
}

/**
 * One node's line in a run summary (and in `--json`): the reducer's node state (core/run/reduce-run.ts)
 * without what only a live view needs. `errorCode` `DATA` / `VALIDATION` mean the input was invalid (CLI exit 2).
 */
export type NodeSummary = Pick<NodeRunState, 'id' | 'task' | 'status' | 'cached' | 'attempts' | 'durationMs' | 'error' | 'errorCode'>;

/** What a finished run returns. */
export interface RunSummary {
  runId: string;
  dag: string;
  status: Exclude<RunStatus, 'running'>;
  durationMs: number;
  nodes: NodeSummary[];
  /** Each DAG result by name: the decoded value for Json/Metrics results, else `{ digest, kind }`. */
  outputs: Record<string, unknown>;
  /** Set when the run failed (which node, its error, how to resume), was cancelled, or was pruned (first line: the pruner's reason). */
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
