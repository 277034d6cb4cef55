import { cpus } from 'node:os';
import { Subject, takeUntil, fromEvent, type Observable } from 'rxjs';
import type { BuiltDag, DagNode } from '../dag/types.ts';
import { inProcessExecutor } from '../executors/inprocess.ts';
import { threadsExecutor } from '../executors/threads.ts';
import type { Executor } from '../executors/types.ts';
import type { RunEvent } from '../scheduler/events.ts';
import { schedule } from '../scheduler/schedule.ts';
import { createNodeRunner, type NodeState } from './node-runner.ts';
import { newRunId } from './run-id.ts';
import { finishedError, summarize } from './run-summary.ts';
import type { RunHandle, RunOptions, RunSummary } from './types.ts';
import { openWorkspace } from './workspace.ts';

/**
 * Runs a built DAG: every node once its inputs exist, cached nodes served from the store, the rest
 * executed with retries and timeouts. Returns at once; the run starts on the next tick, so subscribe
 * to `events$` first.
 * @example
 * const handle = runDag(myDag.build(), { home: '.mlcycle' });
 * handle.events$.subscribe((e) => console.log(e.type));
 * const summary = await handle.done;
 */
export function runDag(dag: BuiltDag, options: RunOptions = {}): RunHandle {
  const runId = newRunId();
  const events = new Subject<RunEvent>();
  const done = new Promise<RunSummary>((resolve, reject) => {
    setImmediate(() => execute(dag, options, runId, events).then(resolve, reject));
  });
  return { runId, events$: events.asObservable(), done };
}

async function execute(dag: BuiltDag, options: RunOptions, runId: string, events: Subject<RunEvent>): Promise<RunSummary> {
  // A run must record what it does: a store that cannot be written is refused before anything runs.
  const ws = openWorkspace({ home: options.home, readOnly: false });
  const concurrency = Math.max(1, options.concurrency ?? cpus().length);
  const seed = options.seed ?? 0;
  const executors = new Map<string, Executor>();
  const pickExecutorName = (node: DagNode) => (options.executor === 'threads' || node.task.isolation === 'worker' ? 'threads' : 'inprocess');
  const pickExecutor = (node: DagNode): Executor => {
    const name = pickExecutorName(node);
    let ex = executors.get(name);
    if (!ex) executors.set(name, (ex = name === 'threads' ? threadsExecutor({ threads: concurrency }) : inProcessExecutor()));
    return ex;
  };
  // Once a first node really executes (a fully cached run never does), warm the worker pool with
  // the modules of the tasks that will run there, so its start overlaps the early nodes.
  const warmWorkers = () => {
    const workerNodes = dag.order.map((id) => dag.nodes.get(id)!).filter((n) => pickExecutorName(n) === 'threads');
    const refs = new Map(workerNodes.map((n) => [`${n.task.ref.moduleUrl}#${n.task.name}`, n.task.ref]));
    if (workerNodes.length) pickExecutor(workerNodes[0]).warm?.([...refs.values()]);
  };
  const startedNodes = new Map<string, number>();
  const emit = (event: RunEvent) => {
    if (event.type === 'node-started' && startedNodes.size === 0) warmWorkers();
    if (event.type === 'node-started' && !startedNodes.has(event.node)) startedNodes.set(event.node, event.at);
    ws.store.record(event);
    events.next(event);
  };
  const signal = options.signal ?? new AbortController().signal;
  const states = new Map<string, NodeState>();
  const skipped = new Map<string, string>();
  const started = Date.now();

  emit({ type: 'run-started', runId, at: started, dag: dag.name, file: dag.file, params: Object.fromEntries(dag.params.map((p) => [p.name, p.value])), nodeCount: dag.order.length, executor: options.executor ?? 'inprocess', concurrency });

  const upstream = new Map<string, string[]>();
  for (const id of dag.order) upstream.set(id, []);
  for (const [id, deps] of dag.dependants) for (const d of deps) upstream.get(d)!.push(id);
  const runNode = createNodeRunner({ dag, runId, ws, seed, noCache: options.noCache ?? false, pickExecutor, emit, states, signal, codeCache: new Map(), verified: new Set(), concurrency, inFlight: { count: 0 } });

  try {
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const abort$: Observable<unknown> = fromEvent(signal, 'abort');
      schedule({ order: dag.order, upstream, dependants: dag.dependants }, runNode, { concurrency })
        .pipe(takeUntil(abort$))
        .subscribe({
          next: (o) => {
            if (o.status !== 'skipped') return;
            const node = dag.nodes.get(o.id)!;
            skipped.set(o.id, o.cause!);
            emit({ type: 'node-skipped', runId, at: Date.now(), node: o.id, task: node.task.name, reason: `upstream node '${o.cause}' failed` });
          },
          error: reject,
          complete: resolve,
        });
    });
    if (signal.aborted) {
      // Unsubscribing aborted the in-flight attempts (their outputs are never stored): they are
      // cancelled; nodes that never started are skipped.
      for (const id of dag.order) {
        if (states.has(id) || skipped.has(id)) continue;
        const task = dag.nodes.get(id)!.task.name;
        if (startedNodes.has(id)) {
          states.set(id, { status: 'cancelled', attempts: 1, durationMs: Date.now() - startedNodes.get(id)! });
          emit({ type: 'node-cancelled', runId, at: Date.now(), node: id, task });
        } else {
          skipped.set(id, 'run cancelled');
          emit({ type: 'node-skipped', runId, at: Date.now(), node: id, task, reason: 'run cancelled' });
        }
      }
    }
    const failed = [...states.values()].some((s) => s.status === 'failed');
    const status: RunSummary['status'] = signal.aborted ? 'cancelled' : failed ? 'failed' : 'succeeded';
    const summary = summarize({ dag, runId, ws, states, skipped, status, durationMs: Date.now() - started });
    const error = finishedError(summary);
    emit({ type: 'run-finished', runId, at: Date.now(), status, durationMs: summary.durationMs, ...(error ? { error } : {}) });
    return summary;
  } finally {
    // Each step runs even when one before it threw (a full disk fails the flush): the workers must
    // stop, and closing the store is what ends a record the run could not finish.
    try {
      ws.store.flush();
    } finally {
      try {
        await Promise.all([...executors.values()].map((e) => e.close()));
      } finally {
        try {
          ws.close();
        } finally {
          events.complete();
        }
      }
    }
  }
}

