/**
 * A session owns what runs share: the workspace (run store and blobs), the executors and the node
 * executions in flight by cache key. `runDag` is one run in a session of its own; a sweep runs its
 * trials in one session, so that trials running at once never execute the same node key twice.
 */
import { cpus } from 'node:os';
import { Subject } from 'rxjs';
import type { BuiltDag, DagDefinition } from '../dag/types.ts';
import { CancelledError, ValidationError } from '../errors.ts';
import { inProcessExecutor } from '../executors/inprocess.ts';
import { threadsExecutor } from '../executors/threads.ts';
import type { Executor } from '../executors/types.ts';
import type { RunEvent } from '../run/events.ts';
import { runInSession, type SessionResources } from './_run-in-session.ts';
import { createInFlightMap } from './in-flight.ts';
import { newRunId } from './run-id.ts';
import type { ExecutorName, RunSummary, Session, SessionOptions, SessionRunOptions } from './types.ts';
import { openWorkspace } from './workspace.ts';

type Launch = (dag: BuiltDag, options: SessionRunOptions, runId: string, events: Subject<RunEvent>) => Promise<RunSummary>;

// How runDag starts its run in a session with the run id and event stream it already handed out.
const launchers = new WeakMap<Session, Launch>();

/**
 * Opens a session: the workspace is opened (and refused if it cannot be written) at once; executors
 * start when a run first needs them. Runs started with `session.run` may overlap. When two of them
 * need the same node key at once, one executes it and the other waits for its result, then records
 * the node as `cached` (a log line names the run that executed it); if that execution fails, the
 * waiting run fails the node with the same error. Cancelling a run detaches it from the executions it
 * waits on or started: an execution is aborted only when no run is left waiting for it.
 * @example
 * const session = openSession({ home: '.mlcycle', concurrency: 2 });
 * const a = session.run(tabular, { algorithm: 'forest' });
 * const b = session.run(tabular, { algorithm: 'logreg' }); // shares load, split, folds with `a`
 * const [sa, sb] = await Promise.all([a.done, b.done]);
 * await session.close();
 */
export function openSession(options: SessionOptions = {}): Session {
  // A run must record what it does: a store that cannot be written is refused before anything runs.
  const ws = openWorkspace({ home: options.home, readOnly: false });
  const concurrency = Math.max(1, options.concurrency ?? cpus().length);
  const executors = new Map<ExecutorName, Executor>();
  const res: SessionResources = {
    ws,
    concurrency,
    executorName: options.executor ?? 'inprocess',
    executor(name) {
      let ex = executors.get(name);
      if (!ex) executors.set(name, (ex = name === 'threads' ? threadsExecutor({ threads: concurrency }) : inProcessExecutor()));
      return ex;
    },
    flights: createInFlightMap(),
    inFlight: { count: 0 },
    verified: new Set(),
    codeCache: new Map(),
    warmed: new Set(),
  };
  const active = new Set<Promise<RunSummary>>();
  // Closing cancels the runs still going: each run's signal is its own and this one.
  const closing = new AbortController();
  let closed: Promise<void> | undefined;

  // A run accepted before close() still starts (as cancelled, if close() came first): the workspace
  // stays open until every accepted run has ended.
  const launch = (dag: BuiltDag, runOptions: SessionRunOptions, runId: string, events: Subject<RunEvent>): Promise<RunSummary> => {
    const signal = runOptions.signal ? AbortSignal.any([runOptions.signal, closing.signal]) : closing.signal;
    return runInSession(res, dag, { ...runOptions, signal }, runId, events);
  };
  const track = (done: Promise<RunSummary>) => {
    active.add(done);
    const untrack = () => active.delete(done);
    done.then(untrack, untrack);
  };

  const closeAll = async (): Promise<void> => {
    closing.abort(new CancelledError('session closed'));
    await Promise.allSettled([...active]);
    // Each step runs even when one before it threw: closing the store is what ends a record.
    try {
      await Promise.all([...executors.values()].map((e) => e.close()));
    } finally {
      ws.close();
    }
  };

  const session: Session = {
    home: ws.home,
    workspace: ws,
    run(dag, params, runOptions = {}) {
      if (closed) throw new Error('session.run: this session is closed; open another with openSession');
      const built = buildFor(dag, params, runOptions);
      const runId = newRunId();
      const events = new Subject<RunEvent>();
      const done = new Promise<RunSummary>((resolve, reject) => {
        // Next tick, so the caller can subscribe to events$ first.
        setImmediate(() => {
          launch(built, runOptions, runId, events)
            .then(resolve, reject)
            .finally(() => events.complete());
        });
      });
      track(done);
      return { runId, events$: events.asObservable(), done };
    },
    get activeRuns() {
      return active.size;
    },
    close: () => (closed ??= closeAll()),
  };
  launchers.set(session, (dag, runOptions, runId, events) => {
    if (closed) return Promise.reject(new Error('runInOpenSession: this session is closed; open another with openSession'));
    const done = launch(dag, runOptions, runId, events);
    track(done);
    return done;
  });
  return session;
}

/**
 * Runs `dag` in `session` now, under a run id and on an event stream the caller already made (which
 * it does not complete). Engine-internal: how runDag runs inside a session of its own.
 * @example
 * const summary = await runInOpenSession(session, built, {}, runId, events);
 */
export function runInOpenSession(session: Session, dag: BuiltDag, options: SessionRunOptions, runId: string, events: Subject<RunEvent>): Promise<RunSummary> {
  const launch = launchers.get(session);
  if (!launch) throw new Error('runInOpenSession: not a session made by openSession');
  return launch(dag, options, runId, events);
}

function buildFor(dag: BuiltDag | DagDefinition, params: Record<string, unknown> | undefined, options: SessionRunOptions): BuiltDag {
  if (isDefinition(dag)) return dag.build({ params: params ?? {}, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.file ? { file: options.file } : {}) });
  if (params && Object.keys(params).length) {
    throw new ValidationError(`session.run: DAG '${dag.name}' is already built, so params cannot change it; pass its definition (the dag(...) value) to build it with these params`);
  }
  return dag;
}

function isDefinition(dag: BuiltDag | DagDefinition): dag is DagDefinition {
  return (dag as DagDefinition).__brand === 'mlcycle.Dag';
}
