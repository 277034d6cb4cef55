/**
 * The one fold of a run's event stream into its state. The engine feeds it every event it emits and
 * builds its RunSummary (and its dependants' inputs) from it; the CLI's live views feed it the same
 * events and draw from it. So a node's outcome is decided in one place: by the event that ends it.
 */
import type { ErrorInfo } from '../errors.ts';
import type { StepMetrics } from '../task/types.ts';
import type { NodeStatus, OutputDigest, RunEvent, RunStatus } from './events.ts';
import { runFailure } from './failure-text.ts';

/** What a node is doing between two attempts' events: its last reported step, or a retry it waits for. */
export type NodeActivity =
  | { type: 'step'; step: number; metrics: StepMetrics }
  | { type: 'retrying'; attempt: number; delayMs: number; error: ErrorInfo };

/** One node's state as its events left it. */
export interface NodeRunState {
  id: string;
  task: string;
  status: NodeStatus;
  /** True when served from the cache (or by another run's execution of the same key). */
  cached: boolean;
  /** Attempts this run saw start (0 for a hit, a skip, or a node that only waited on another run). */
  attempts: number;
  durationMs: number;
  key?: string;
  /** The error message of a failed node; the pruner's reason for a pruned one. */
  error?: string;
  /** The failing error's code (`DATA`, `VALIDATION`, `TIMEOUT`, `PRUNED`…), when it has one. */
  errorCode?: string;
  /** Why it was skipped (`upstream node 'x' failed`, `run cancelled`). */
  reason?: string;
  /** Output digests by port, once succeeded or cached. */
  outputs?: Record<string, OutputDigest>;
  /** Final metrics (see RunEvent `node-succeeded`). */
  metrics?: Record<string, number>;
  /** When its first attempt started, ms since the epoch. */
  startedAt?: number;
  /** Set while running: the latest step report or pending retry; cleared when an attempt starts or the node ends. */
  activity?: NodeActivity;
}

/** A run's state: its nodes (declared ones first, in DAG order), counts, and how it ended. */
export interface RunState {
  runId?: string;
  dag?: string;
  status: RunStatus;
  /** Nodes the run has (from `run-started`, else the declared ones). */
  nodeCount: number;
  nodes: Map<string, NodeRunState>;
  /** Nodes per status, kept as they change, so a view of a 5,000-node run need not count. */
  counts: Map<NodeStatus, number>;
  /** Ids of the nodes running now, in the order they started. */
  running: Set<string>;
  /** Ids of the failed nodes, in the order they failed. */
  failed: string[];
  /** Set by `run-finished`. */
  durationMs?: number;
  /** Set by `run-finished`: its one-line error. */
  error?: string;
  /** Set by `run-finished`: the run's failure text (see runFailure), undefined when it succeeded. */
  failure?: string;
}

/**
 * A fresh state; `nodes` declares the DAG's nodes (pending, in this order) so that a node no event
 * reached still appears, as `pending`.
 * @example
 * const state = createRunState(dag.order.map((id) => ({ id, task: dag.nodes.get(id)!.task.name })));
 */
export function createRunState(nodes: Iterable<{ id: string; task: string }> = []): RunState {
  const state: RunState = { status: 'running', nodeCount: 0, nodes: new Map(), counts: new Map(), running: new Set(), failed: [] };
  for (const n of nodes) nodeOf(state, n.id, n.task);
  state.nodeCount = state.nodes.size;
  return state;
}

/**
 * Folds one event into `state` and returns it. It updates in place, so that folding the events of a
 * 10,000-node run costs O(1) per event; given the same events it always ends in the same state.
 * @example
 * const state = events.reduce(reduceRun, createRunState());
 * state.nodes.get('train')?.status; // 'succeeded'
 */
export function reduceRun(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-started':
      state.runId = event.runId;
      state.dag = event.dag;
      state.nodeCount = event.nodeCount;
      state.status = 'running';
      return state;
    case 'node-started': {
      const n = nodeOf(state, event.node, event.task);
      n.key = event.key;
      n.attempts = event.attempt;
      n.startedAt ??= event.at;
      n.activity = undefined;
      setStatus(state, n, 'running');
      return state;
    }
    case 'node-retrying': {
      const n = nodeOf(state, event.node);
      n.activity = { type: 'retrying', attempt: event.attempt, delayMs: event.delayMs, error: event.error };
      return state;
    }
    case 'node-metric': {
      const n = nodeOf(state, event.node);
      n.activity = { type: 'step', step: event.step, metrics: event.metrics };
      return state;
    }
    case 'node-log':
      return state;
    case 'node-succeeded':
      end(state, nodeOf(state, event.node, event.task), 'succeeded', {
        key: event.key, attempts: event.attempts, durationMs: event.durationMs, outputs: event.outputs, metrics: event.metrics,
      });
      return state;
    case 'node-cached':
      // Attempts 0, duration 0: nothing executed for this run, even when it waited on another run's execution.
      end(state, nodeOf(state, event.node, event.task), 'cached', { key: event.key, attempts: 0, durationMs: 0, outputs: event.outputs, metrics: event.metrics });
      return state;
    case 'node-failed':
      end(state, nodeOf(state, event.node, event.task), 'failed', {
        ...(event.key ? { key: event.key } : {}), attempts: event.attempts, durationMs: event.durationMs, error: event.error.message, errorCode: event.error.code,
      });
      state.failed.push(event.node);
      return state;
    case 'node-skipped':
      end(state, nodeOf(state, event.node, event.task), 'skipped', { attempts: 0, durationMs: 0, reason: event.reason });
      return state;
    case 'node-cancelled': {
      const n = nodeOf(state, event.node, event.task);
      end(state, n, 'cancelled', { attempts: event.attempts ?? n.attempts, durationMs: event.durationMs ?? sinceStart(n, event.at) });
      return state;
    }
    case 'node-pruned': {
      const n = nodeOf(state, event.node, event.task);
      end(state, n, 'pruned', {
        attempts: event.attempts ?? n.attempts, durationMs: event.durationMs ?? sinceStart(n, event.at), error: event.reason, errorCode: 'PRUNED',
      });
      return state;
    }
    case 'run-finished':
      state.status = event.status;
      state.durationMs = event.durationMs;
      state.error = event.error;
      // A pruned run's error is the pruner's reason: the failure text opens with it.
      state.failure = runFailure(state.nodes.values(), event.status, event.error === undefined ? {} : { prunedReason: event.error });
      return state;
    default: {
      // Exhaustive at compile time; at run time a newer engine's event changes nothing here.
      const unknown: never = event;
      void unknown;
      return state;
    }
  }
}

/** True once a node has its final status: neither pending nor running. */
export function nodeEnded(status: NodeStatus): boolean {
  return status !== 'pending' && status !== 'running';
}

function nodeOf(state: RunState, id: string, task?: string): NodeRunState {
  let n = state.nodes.get(id);
  if (!n) {
    // A node no declaration named (a view fed events alone) joins the state as it shows up.
    n = { id, task: task ?? '', status: 'pending', cached: false, attempts: 0, durationMs: 0 };
    state.nodes.set(id, n);
    state.counts.set('pending', (state.counts.get('pending') ?? 0) + 1);
  } else if (task && !n.task) n.task = task;
  return n;
}

function setStatus(state: RunState, n: NodeRunState, status: NodeStatus): void {
  state.counts.set(n.status, (state.counts.get(n.status) ?? 1) - 1);
  state.counts.set(status, (state.counts.get(status) ?? 0) + 1);
  n.status = status;
  if (status === 'running') state.running.add(n.id);
  else state.running.delete(n.id);
}

type Ending = Pick<NodeRunState, 'attempts' | 'durationMs'> & Partial<Pick<NodeRunState, 'key' | 'outputs' | 'metrics' | 'error' | 'errorCode' | 'reason'>>;

function end(state: RunState, n: NodeRunState, status: NodeStatus, ending: Ending): void {
  n.cached = status === 'cached';
  n.attempts = ending.attempts;
  n.durationMs = ending.durationMs;
  n.activity = undefined;
  if (ending.key !== undefined) n.key = ending.key;
  // Only what this ending says: a node ends once, and nothing of an earlier state should leak into it.
  for (const field of ['outputs', 'metrics', 'error', 'errorCode', 'reason'] as const) {
    if (ending[field] === undefined) delete n[field];
    else (n as unknown as Record<string, unknown>)[field] = ending[field];
  }
  setStatus(state, n, status);
}

function sinceStart(n: NodeRunState, at: number): number {
  return n.startedAt === undefined ? 0 : Math.max(0, at - n.startedAt);
}
