/**
 * How the store ends a run's record by itself, when the engine's own `run-finished` cannot: a batch
 * holding the run's final write failed (disk full), or the process exits or closes the store before
 * the run finished. Each end writes the run's status and closes its nodes in one transaction, so no
 * record shows a node running inside an ended run.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { interruptedError, type PendingWrite } from './record-event.ts';
import type { RecordedRunStatus } from './types.ts';
import type { WriteStatements } from './write-statements.ts';

/** One run's end as the store records it. */
export interface RunEnd {
  id: string;
  status: RecordedRunStatus;
  at: number;
  error: string;
  /** Why its nodes still running or pending stop there. */
  nodeMessage: string;
}

/**
 * A run's error once rows of its record were lost: the run's own error, then what was lost.
 * @example
 * lostError(undefined, 'could not write 11 rows …: database or disk is full');
 */
export function lostError(runError: string | undefined, lost: string): string {
  const note = `part of this run's record was lost (${lost}); re-run the same command to resume`;
  return runError ? `${runError}; ${note}` : note;
}

/**
 * Prepares the writer of run ends: true when they were committed, false when even that failed (the
 * next open, once this process has ended, marks the runs interrupted).
 * @example
 * const endRuns = prepareRunEnds(sqlite, writes);
 * endRuns([{ id, status: 'interrupted', at: Date.now(), error: 'interrupted: …', nodeMessage: '…' }]);
 */
export function prepareRunEnds(sqlite: BetterSqlite3.Database, writes: WriteStatements): (ends: RunEnd[]) => boolean {
  const write = sqlite.transaction((ends: RunEnd[]) => {
    for (const e of ends) {
      // Conditional on `running`: a run that ended meanwhile keeps its own end.
      if (e.status === 'interrupted') writes.interruptRun.run({ id: e.id, at: e.at, error: e.error });
      else writes.finishRun.run({ id: e.id, status: e.status, finished_at: e.at, error: e.error });
      writes.closeNodes.run({ run_id: e.id, at: e.at, error: interruptedError(e.nodeMessage) });
    }
  });
  return (ends) => {
    if (ends.length === 0) return true;
    try {
      write.immediate(ends);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * After a batch failed: records in `lostByRun` every run with a row in it, and returns the ends of
 * the runs whose final write it held (as failed: their record is incomplete).
 * @example
 * const ends = lostBatchEnds(batch, writes, message, lostByRun);
 */
export function lostBatchEnds(
  batch: Array<PendingWrite | null>, writes: WriteStatements, message: string, lostByRun: Map<string, string>,
): RunEnd[] {
  const ends = new Map<string, RunEnd>();
  for (const w of batch) {
    if (!w) continue;
    const a = w.args as { run_id?: string; id?: string; status?: RecordedRunStatus; error?: string | null };
    const runWrite = w.query === writes.upsertRun || w.query === writes.finishRun || w.query === writes.heartbeat;
    const id = a.run_id ?? (runWrite ? a.id : undefined);
    if (id === undefined) continue;
    lostByRun.set(id, message);
    if (w.query === writes.finishRun) {
      ends.set(id, {
        id, status: a.status === 'succeeded' ? 'failed' : a.status!, at: Date.now(), error: lostError(a.error ?? undefined, message),
        nodeMessage: "the run ended, but this node's final state was lost with a failed write",
      });
    }
  }
  return [...ends.values()];
}

/**
 * The ends of runs this store started and never saw finish: interrupted, or failed when part of
 * their record was lost.
 * @example
 * endRuns(ownedEnds(lease.owned(), 'the process exited before the run finished', lostByRun));
 */
export function ownedEnds(ids: string[], why: string, lostByRun: Map<string, string>): RunEnd[] {
  const at = Date.now();
  const nodeMessage = `interrupted while running: ${why}`;
  return ids.map((id): RunEnd => {
    const lost = lostByRun.get(id);
    return lost !== undefined
      ? { id, status: 'failed', at, error: lostError(why, lost), nodeMessage }
      : { id, status: 'interrupted', at, error: `interrupted: ${why}. Re-run the same command to resume: completed nodes are cache hits.`, nodeMessage };
  });
}
