/**
 * The study store's statements, compiled once per connection (query-builder.ts explains why kysely
 * only compiles). Writes that must not undo another process's claim are conditional on the owner.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { prepareQuery } from './query-builder.ts';
import { studyBuilder as db } from './_study-schema.ts';
import type { StudiesTable, TrialsTable, TrialValuesTable } from './_study-schema.ts';
import type { TrialState } from './study-types.ts';

const studyColumns: Record<keyof StudiesTable, true> = {
  id: true, name: true, dag: true, file: true, objective: true, direction: true, space: true, sampler: true,
  pruner: true, prune_on: true, fixed: true, trials: true, parallel: true, seed: true, cwd: true, status: true,
  created_at: true, finished_at: true, error: true, owner_host: true, owner_pid: true, owner_token: true, heartbeat_at: true,
};
const trialColumns: Record<keyof TrialsTable, true> = {
  study_id: true, number: true, params: true, state: true, value: true, attrs: true, run_id: true,
  started_at: true, finished_at: true, error: true, pruned_step: true,
};
const valueColumns: Record<keyof TrialValuesTable, true> = { study_id: true, number: true, step: true, value: true };

/** The owner columns of a study, as claims write and check them. */
export interface OwnerArgs {
  id: string;
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
}

export type StudyStatements = ReturnType<typeof prepareStudyStatements>;

/**
 * @example
 * const q = prepareStudyStatements(sqlite);
 * q.studyById.get({ id });
 */
export function prepareStudyStatements(sqlite: BetterSqlite3.Database) {
  // A non-NaN value (NaN is stored as text): the only kind that can be best.
  const numeric = sql<boolean>`typeof(value) = 'real'`;
  const best = (order: 'asc' | 'desc') => prepareQuery<{ study_id: string }, { number: number; value: number }>(sqlite, (a) =>
    db.selectFrom('trials').select(['number', 'value'])
      .where('study_id', '=', a.study_id).where('state', '=', 'complete').where(numeric)
      .orderBy('value', order).orderBy('number', 'asc').limit(1));

  return {
    insertStudy: prepareQuery<StudiesTable>(sqlite, (a) => db.insertInto('studies').values(a), studyColumns),
    studyById: prepareQuery<{ id: string }, StudiesTable>(sqlite, (a) => db.selectFrom('studies').selectAll().where('id', '=', a.id)),
    studyByName: prepareQuery<{ name: string }, StudiesTable>(sqlite, (a) => db.selectFrom('studies').selectAll().where('name', '=', a.name)),
    // A half-open range on the primary key (as runIdsInRange): uses the index, needs no LIKE escaping.
    studyIdsInRange: prepareQuery<{ from: string; to: string }, { id: string }>(sqlite, (a) =>
      db.selectFrom('studies').select('id').where('id', '>=', a.from).where('id', '<', a.to).limit(2)),
    // `limit` -1 is SQLite for "no limit". Ids of one second sort by their random tail: rowid
    // (insertion order) breaks ties between studies created in the same millisecond.
    listStudies: prepareQuery<{ limit: number }, StudiesTable>(sqlite, (a) =>
      db.selectFrom('studies').selectAll().orderBy('created_at', 'desc').orderBy(sql`rowid`, 'desc').limit(a.limit)),
    runningStudies: prepareQuery<Record<string, never>, StudiesTable>(sqlite, () =>
      db.selectFrom('studies').selectAll().where('status', '=', 'running')),
    // The last thing a study's trials did: when a study found dead was last seen alive.
    lastTrialActivity: prepareQuery<{ study_id: string }, { at: number | null }>(sqlite, (a) =>
      db.selectFrom('trials')
        .select((eb) => eb.fn.max(eb.fn.coalesce('finished_at', 'started_at')).as('at'))
        .where('study_id', '=', a.study_id)),
    stateCounts: prepareQuery<{ study_id: string }, { state: TrialState; n: number }>(sqlite, (a) =>
      db.selectFrom('trials').select((eb) => ['state', eb.fn.countAll<number>().as('n')])
        .where('study_id', '=', a.study_id).groupBy('state')),
    bestMin: best('asc'),
    bestMax: best('desc'),

    interruptStudy: prepareQuery<OwnerArgs & { at: number; error: string }>(sqlite, (a) =>
      db.updateTable('studies').set({ status: 'interrupted', finished_at: a.at, error: a.error })
        .where('id', '=', a.id).where('status', '=', 'running')
        // Only if the owner is still the one judged dead (another process may have claimed it since).
        .where((eb) => eb.and([
          eb('owner_host', 'is', a.owner_host), eb('owner_pid', 'is', a.owner_pid), eb('owner_token', 'is', a.owner_token),
        ]))),
    claim: prepareQuery<OwnerArgs & { at: number }>(sqlite, (a) =>
      db.updateTable('studies').set({
        owner_host: a.owner_host, owner_pid: a.owner_pid, owner_token: a.owner_token, heartbeat_at: a.at,
        status: 'running', finished_at: null, error: null,
      }).where('id', '=', a.id)),
    heartbeat: prepareQuery<OwnerArgs & { at: number }>(sqlite, (a) =>
      db.updateTable('studies').set({ heartbeat_at: a.at })
        .where('id', '=', a.id).where('owner_pid', 'is', a.owner_pid).where('owner_token', 'is', a.owner_token)),
    release: prepareQuery<OwnerArgs>(sqlite, (a) =>
      db.updateTable('studies').set({ owner_host: null, owner_pid: null, owner_token: null })
        .where('id', '=', a.id).where('owner_pid', 'is', a.owner_pid).where('owner_token', 'is', a.owner_token)),

    trials: prepareQuery<{ study_id: string }, TrialsTable>(sqlite, (a) =>
      db.selectFrom('trials').selectAll().where('study_id', '=', a.study_id).orderBy('number')),
    trialValues: prepareQuery<{ study_id: string }, TrialValuesTable>(sqlite, (a) =>
      db.selectFrom('trial_values').selectAll().where('study_id', '=', a.study_id).orderBy('number').orderBy('step')),
    trialExists: prepareQuery<{ study_id: string; number: number }, { number: number }>(sqlite, (a) =>
      db.selectFrom('trials').select('number').where('study_id', '=', a.study_id).where('number', '=', a.number)),
    putTrial: prepareQuery<TrialsTable>(sqlite, (a) => db.insertInto('trials').orReplace().values(a), trialColumns),
    clearValues: prepareQuery<{ study_id: string; number: number }>(sqlite, (a) =>
      db.deleteFrom('trial_values').where('study_id', '=', a.study_id).where('number', '=', a.number)),
    putValue: prepareQuery<TrialValuesTable>(sqlite, (a) => db.insertInto('trial_values').orReplace().values(a), valueColumns),
  };
}
