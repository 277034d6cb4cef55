/**
 * The runs a store has started and not yet finished: it keeps their heartbeat fresh (for readers on
 * other hosts) and, when the process exits before they finish (a second Ctrl-C, `process.exit` in a
 * task), ends their record at once rather than leaving it to the next open.
 */
import { HEARTBEAT_INTERVAL_MS } from './run-owner.ts';

export interface RunLease {
  started(runId: string): void;
  finished(runId: string): void;
  /** Runs started and not finished, oldest first. */
  owned(): string[];
  /** Stops the heartbeat and the exit hook (the store is closing). */
  dispose(): void;
}

// One 'exit' listener for every store of the process (many runs at once in one process must not
// pile up listeners). 'exit' listeners run synchronously, and so does better-sqlite3: a record can
// be ended there.
const exitHooks = new Set<() => void>();
let listening = false;
function runExitHooks(): void {
  for (const hook of [...exitHooks]) {
    try {
      hook();
    } catch {
      // The process is exiting: what could not be ended is the next open's to mark.
    }
  }
}

/**
 * @example
 * const lease = createRunLease({ beat: (ids, at) => queueHeartbeats(ids, at), exiting: () => interruptOwned() });
 * lease.started('01J…');
 */
export function createRunLease(hooks: { beat(runIds: string[], at: number): void; exiting(): void }): RunLease {
  const runs = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const onExit = () => hooks.exiting();

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    exitHooks.delete(onExit);
  };

  return {
    started(runId) {
      runs.add(runId);
      if (timer) return;
      timer = setInterval(() => hooks.beat([...runs], Date.now()), HEARTBEAT_INTERVAL_MS);
      // The heartbeat must never be what keeps a process alive.
      timer.unref?.();
      exitHooks.add(onExit);
      if (!listening) process.on('exit', runExitHooks);
      listening = true;
    },
    finished(runId) {
      runs.delete(runId);
      if (runs.size === 0) stop();
    },
    owned: () => [...runs],
    dispose() {
      runs.clear();
      stop();
    },
  };
}
