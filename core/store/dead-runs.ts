/**
 * Finds runs recorded as `running` whose process is provably gone (run-owner.ts) and ends their
 * record as `interrupted`, with every node still running or pending. A writable store does this
 * when it opens; a read-only one cannot write, so it shows the same verdict on the records it reads.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ReadStatements } from './read-statements.ts';
import { interruptedError } from './record-event.ts';
import { ownerGone } from './run-owner.ts';
import type { NodeRunsTable, RunsTable } from './schema.ts';
import type { WriteStatements } from './write-statements.ts';

/** A dead run's verdict: why, when it was last seen alive, and the errors to record. */
export interface DeadRun {
  id: string;
  endedAt: number;
  /** The run's error line. */
  runError: string;
  /** The stored (JSON) error of each node it leaves interrupted. */
  nodeError: string;
}

/**
 * The verdict on one `running` row, or undefined while its owner may be alive.
 * @example
 * const dead = deadRun(reads, row, Date.now()); // { id, endedAt, runError, nodeError } | undefined
 */
export function deadRun(reads: ReadStatements, row: RunsTable, now: number): DeadRun | undefined {
  if (row.status !== 'running') return undefined;
  const activity = reads.lastNodeActivity.get({ run_id: row.id })?.at ?? null;
  const lastSeen = Math.max(row.started_at, row.heartbeat_at ?? 0, activity ?? 0);
  const reason = ownerGone({
    // Columns are missing (undefined) in a read-only store older than schema 3.
    owner_host: row.owner_host ?? null, owner_pid: row.owner_pid ?? null, owner_token: row.owner_token ?? null, last_seen: lastSeen,
  }, now);
  if (!reason) return undefined;
  return {
    id: row.id,
    endedAt: lastSeen,
    runError: `interrupted: ${reason}, and never finished the run (it was killed, ran out of memory, lost power, or could not write its record). ` +
      'Re-run the same command to resume: completed nodes are cache hits.',
    nodeError: interruptedError(`interrupted while running: ${reason}`),
  };
}

/**
 * Marks every dead running run of the store interrupted, each in one transaction with its nodes.
 * Returns the ids it marked. A run's writes are conditional on it still being `running`, so two
 * processes opening the store at once mark it once, and a run that finished meanwhile is untouched.
 * @example
 * reapDeadRuns(sqlite, reads, writes, Date.now()); // ['01J…']
 */
export function reapDeadRuns(sqlite: BetterSqlite3.Database, reads: ReadStatements, writes: WriteStatements, now: number): string[] {
  const dead = reads.runningRuns.all({}).map((row) => deadRun(reads, row, now)).filter((d): d is DeadRun => d !== undefined);
  if (dead.length === 0) return [];
  const mark = sqlite.transaction((runs: DeadRun[]) => {
    for (const d of runs) {
      writes.interruptRun.run({ id: d.id, at: d.endedAt, error: d.runError });
      writes.closeNodes.run({ run_id: d.id, at: d.endedAt, error: d.nodeError });
    }
  });
  mark.immediate(dead);
  return dead.map((d) => d.id);
}

/**
 * A read-only store's view: a dead run reads as interrupted though the file still says running.
 * @example
 * const row = asRead(reads, reads.getRun.get({ id })!, Date.now());
 */
export function asRead(reads: ReadStatements, row: RunsTable, now: number): RunsTable {
  const dead = deadRun(reads, row, now);
  return dead ? { ...row, status: 'interrupted', finished_at: dead.endedAt, error: dead.runError } : row;
}

/**
 * The nodes of a run read through a read-only store: running or pending ones of a dead run read
 * as interrupted, as the next writable open will record them.
 * @example
 * const rows = nodesAsRead(reads, runRow, reads.nodeRuns.all({ run_id }), Date.now());
 */
export function nodesAsRead(reads: ReadStatements, run: RunsTable | undefined, rows: NodeRunsTable[], now: number): NodeRunsTable[] {
  const dead = run && deadRun(reads, run, now);
  if (!dead) return rows;
  return rows.map((n) => (n.status === 'running' || n.status === 'pending'
    ? { ...n, status: 'interrupted', finished_at: n.finished_at ?? dead.endedAt, error: n.error ?? dead.nodeError }
    : n));
}
