/**
 * Who runs a study, judged as runs are (run-owner.ts): a study claimed by a live process is refused
 * to others, one whose process died is taken over, and a `running` study whose process died is
 * marked `interrupted` when a store opens (its trials keep their states: the runner re-runs the
 * running and queued ones when the study resumes).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { MlcycleError, ValidationError } from '../errors.ts';
import { currentOwner, ownerGone } from './run-owner.ts';
import type { StudiesTable } from './_study-schema.ts';
import type { OwnerArgs, StudyStatements } from './_study-statements.ts';

/**
 * Why the owner of a study is provably gone, or undefined while it may be alive.
 * @example
 * studyOwnerGone(q, row, Date.now()); // 'process 4242 on vm is no longer running'
 */
export function studyOwnerGone(q: StudyStatements, row: StudiesTable, now: number): string | undefined {
  return ownerGone({ owner_host: row.owner_host, owner_pid: row.owner_pid, owner_token: row.owner_token, last_seen: lastSeen(q, row) }, now);
}

function lastSeen(q: StudyStatements, row: StudiesTable): number {
  const activity = q.lastTrialActivity.get({ study_id: row.id })?.at ?? 0;
  return Math.max(row.created_at, row.heartbeat_at ?? 0, activity);
}

const ownerOf = (row: StudiesTable): OwnerArgs =>
  ({ id: row.id, owner_host: row.owner_host, owner_pid: row.owner_pid, owner_token: row.owner_token });

/**
 * Marks every `running` study whose process is gone `interrupted`, in one transaction; returns their
 * ids. Each write is conditional on the study still being running under the same owner, so two
 * processes opening at once mark it once and a claim made meanwhile is untouched.
 * @example
 * reapDeadStudies(sqlite, q, Date.now()); // ['20261126-153501-4f2a9c']
 */
export function reapDeadStudies(sqlite: BetterSqlite3.Database, q: StudyStatements, now: number): string[] {
  const dead = q.runningStudies.all({}).flatMap((row) => {
    const reason = studyOwnerGone(q, row, now);
    if (!reason) return [];
    return [{
      ...ownerOf(row), at: lastSeen(q, row),
      error: `interrupted: ${reason}, and never finished the study (it was killed, ran out of memory or lost power). ` +
        `Run the same command again, or mlcycle sweep --resume ${row.name}, to continue it: finished trials are kept.`,
    }];
  });
  if (dead.length === 0) return [];
  sqlite.transaction(() => { for (const d of dead) q.interruptStudy.run(d); }).immediate();
  return dead.map((d) => d.id);
}

/**
 * Makes this process the owner of study `id` (status `running`), in one immediate transaction so
 * two processes claiming at once cannot both win. Refused while a live process owns it, this one
 * included (a second claim in one process is a bug in its caller).
 * @example
 * claimOwnership(sqlite, q, id, Date.now());
 */
export function claimOwnership(sqlite: BetterSqlite3.Database, q: StudyStatements, id: string, now: number): OwnerArgs {
  const me = currentOwner();
  const mine: OwnerArgs = { id, owner_host: me.host, owner_pid: me.pid, owner_token: me.token };
  sqlite.transaction(() => {
    const row = q.studyById.get({ id });
    if (!row) throw new MlcycleError(`StudyStore.claimStudy: no study with id '${id}'; create it with createStudy first`);
    const owned = row.owner_pid !== null || row.owner_host !== null;
    if (owned && studyOwnerGone(q, row, now) === undefined) {
      const pid = row.owner_pid ?? 'unknown';
      throw new ValidationError(
        `study '${row.name}' is being run by pid ${pid} on host ${row.owner_host ?? 'unknown'}; wait for it or stop it`,
      );
    }
    q.claim.run({ ...mine, at: now });
  }).immediate();
  return mine;
}
