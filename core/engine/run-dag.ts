import { Subject } from 'rxjs';
import type { BuiltDag } from '../dag/types.ts';
import type { RunEvent } from '../run/events.ts';
import { newRunId } from './run-id.ts';
import { openSession, runInOpenSession } from './session.ts';
import type { RunHandle, RunOptions, RunSummary, Session } from './types.ts';

/**
 * Runs a built DAG: every node once its inputs exist, cached nodes served from the store, the rest
 * executed with retries and timeouts. Returns at once; the run starts on the next tick, so subscribe
 * to `events$` first. It is one run in a session of its own (see openSession), closed when it ends.
 * @example
 * const handle = runDag(myDag.build(), { home: '.mlcycle' });
 * handle.events$.subscribe((e) => console.log(e.type));
 * const summary = await handle.done;
 */
export function runDag(dag: BuiltDag, options: RunOptions = {}): RunHandle {
  const runId = newRunId();
  const events = new Subject<RunEvent>();
  const done = new Promise<RunSummary>((resolve, reject) => {
    setImmediate(() => runAlone(dag, options, runId, events).then(resolve, reject));
  });
  return { runId, events$: events.asObservable(), done };
}

async function runAlone(dag: BuiltDag, options: RunOptions, runId: string, events: Subject<RunEvent>): Promise<RunSummary> {
  let session: Session | undefined;
  try {
    session = openSession({ home: options.home, concurrency: options.concurrency, executor: options.executor });
    return await runInOpenSession(session, dag, { noCache: options.noCache, signal: options.signal, seed: options.seed }, runId, events);
  } finally {
    // Each step runs even when one before it threw (a full disk fails the flush): the workers must
    // stop, and closing the store is what ends a record the run could not finish.
    try {
      await session?.close();
    } finally {
      events.complete();
    }
  }
}
