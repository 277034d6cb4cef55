/**
 * One run inside a session: what `runDag` did alone before sessions, now using the session's
 * workspace, executors and in-flight map. Private to core/engine (session.ts and run-dag.ts call it).
 */
import { fromEvent, takeUntil, type Observable, type Subject } from 'rxjs';
import type { BuiltDag, DagNode } from '../dag/types.ts';
import type { Executor } from '../executors/types.ts';
import type { CodeDigest } from '../plan/code-digest.ts';
import type { RunEvent } from '../run/events.ts';
import { createRunState, nodeEnded, reduceRun } from '../run/reduce-run.ts';
import { runFailure } from '../run/failure-text.ts';
import { schedule } from '../scheduler/schedule.ts';
import type { TaskRef } from '../task/types.ts';
import type { InFlightMap } from './in-flight.ts';
import { pruneReason } from './abort-reason.ts';
import { createNodeRunner } from './node-runner.ts';
import { summarize } from './run-summary.ts';
import type { ExecutorName, RunSummary } from './types.ts';
import type { Workspace } from './workspace.ts';

/** What a session owns and every run in it shares. */
export interface SessionResources {
  ws: Workspace;
  concurrency: number;
  executorName: ExecutorName;
  executor(name: ExecutorName): Executor;
  flights: InFlightMap;
  /** Attempts executing right now across the session's runs (TaskContext.threads shares the cores). */
  inFlight: { count: number };
  verified: Set<string>;
  codeCache: Map<string, CodeDigest>;
  /** Task modules already sent to the worker pool to preload. */
  warmed: Set<string>;
}

/** The options one run takes inside a session. */
export interface RunInSessionOptions {
  concurrency?: number;
  executor?: ExecutorName;
  noCache?: boolean;
  signal?: AbortSignal;
  seed?: number;
}

/**
 * Runs `dag` to its end, emitting every event on `events` (which it does not complete) and recording
 * it in the session's store. Flushes the store before returning.
 * @example
 * const summary = await runInSession(resources, built, { seed: 1 }, newRunId(), new Subject());
 */
export async function runInSession(
  res: SessionResources,
  dag: BuiltDag,
  options: RunInSessionOptions,
  runId: string,
  events: Subject<RunEvent>,
): Promise<RunSummary> {
  const { ws } = res;
  const concurrency = Math.max(1, options.concurrency ?? res.concurrency);
  const seed = options.seed ?? 0;
  const executorName = options.executor ?? res.executorName;
  const pickExecutorName = (node: DagNode): ExecutorName => (executorName === 'threads' || node.task.isolation === 'worker' ? 'threads' : 'inprocess');
  const pickExecutor = (node: DagNode): Executor => res.executor(pickExecutorName(node));
  // Once a first node really executes (a fully cached run never does), warm the worker pool with the
  // modules of the tasks that will run there and that no earlier run of the session sent, so its
  // start overlaps the early nodes.
  let warmedOnce = false;
  const warmWorkers = () => {
    warmedOnce = true;
    const refs = new Map<string, TaskRef>();
    for (const id of dag.order) {
      const node = dag.nodes.get(id)!;
      const ref = `${node.task.ref.moduleUrl}#${node.task.name}`;
      if (pickExecutorName(node) === 'threads' && !res.warmed.has(ref)) refs.set(ref, node.task.ref);
    }
    if (!refs.size) return;
    for (const ref of refs.keys()) res.warmed.add(ref);
    res.executor('threads').warm?.([...refs.values()]);
  };
  // Every node's outcome, and the summary, come from folding the very events this run emits.
  const run = createRunState(dag.order.map((id) => ({ id, task: dag.nodes.get(id)!.task.name })));
  const emit = (event: RunEvent) => {
    if (event.type === 'node-started' && !warmedOnce) warmWorkers();
    reduceRun(run, event);
    ws.store.record(event);
    events.next(event);
  };
  const signal = options.signal ?? new AbortController().signal;
  const begun = new Map<string, number>();
  const started = Date.now();

  try {
    emit({ type: 'run-started', runId, at: started, dag: dag.name, file: dag.file, params: Object.fromEntries(dag.params.map((p) => [p.name, p.value])), nodeCount: dag.order.length, executor: executorName, concurrency });

    const upstream = new Map<string, string[]>();
    for (const id of dag.order) upstream.set(id, []);
    for (const [id, deps] of dag.dependants) for (const d of deps) upstream.get(d)!.push(id);
    const runNode = createNodeRunner({
      dag, runId, ws, seed, noCache: options.noCache ?? false, pickExecutor, emit, run, signal,
      codeCache: res.codeCache, verified: res.verified, concurrency: res.concurrency, inFlight: res.inFlight, flights: res.flights, begun,
    });

    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const abort$: Observable<unknown> = fromEvent(signal, 'abort');
      schedule({ order: dag.order, upstream, dependants: dag.dependants }, runNode, { concurrency })
        .pipe(takeUntil(abort$))
        .subscribe({
          next: (o) => {
            if (o.status !== 'skipped') return;
            const node = dag.nodes.get(o.id)!;
            emit({ type: 'node-skipped', runId, at: Date.now(), node: o.id, task: node.task.name, reason: `upstream node '${o.cause}' failed` });
          },
          error: reject,
          complete: resolve,
        });
    });
    const pruned = pruneReason(signal);
    if (signal.aborted) {
      // Unsubscribing detached this run from its nodes' executions (an execution no other run waits
      // on is aborted, and its outputs are never stored). Cancelled: nodes that began are cancelled,
      // nodes that never began are skipped. Pruned: both are pruned, since the pruner, not a failure
      // upstream, is why they did not finish.
      for (const id of dag.order) {
        const node = run.nodes.get(id)!;
        if (nodeEnded(node.status)) continue;
        const { task, attempts } = node;
        const durationMs = begun.has(id) ? Date.now() - begun.get(id)! : 0;
        if (pruned) {
          emit({ type: 'node-pruned', runId, at: Date.now(), node: id, task, reason: pruned.message, step: pruned.step, attempts, durationMs });
        } else if (begun.has(id)) {
          emit({ type: 'node-cancelled', runId, at: Date.now(), node: id, task, attempts, durationMs });
        } else {
          emit({ type: 'node-skipped', runId, at: Date.now(), node: id, task, reason: 'run cancelled' });
        }
      }
    }
    const status: RunSummary['status'] = pruned ? 'pruned' : signal.aborted ? 'cancelled' : run.failed.length ? 'failed' : 'succeeded';
    // run-finished carries the failure's first line; folding it gives the run its whole failure text.
    const error = runFailure(run.nodes.values(), status, pruned ? { prunedReason: pruned.message } : {})?.split('\n')[0];
    emit({ type: 'run-finished', runId, at: Date.now(), status, durationMs: Date.now() - started, ...(error ? { error } : {}) });
    return summarize({ dag, runId, ws, run });
  } finally {
    // A run in a shared session leaves its record durable when it ends, not when the session closes.
    ws.store.flush();
  }
}
