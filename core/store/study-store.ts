/**
 * Sweep studies in the run store's file (`<home>/mlcycle.db`), on a connection of their own. Every
 * change is committed at once in its own small transaction, unlike run events (sqlite-store.ts
 * batches those): a study is a few writes per trial, and must survive a `kill -9` between trials.
 * A study is owned like a run (run-owner.ts): the process that claims it heartbeats, a live owner
 * keeps others out, and a dead owner's study is marked interrupted on the next open and can be claimed.
 */
import { newRunId } from '../engine/run-id.ts';
import { MlcycleError, ValidationError } from '../errors.ts';
import { openStoreFile } from './open-store-file.ts';
import { createRunLease } from './run-lease.ts';
import { claimOwnership, reapDeadStudies } from './_study-owner.ts';
import { checkInteger, intermediateRow, studyRow, toStudyRecord, toTrialRecords, trialRows } from './_study-rows.ts';
import { studyBuilder } from './_study-schema.ts';
import type { StudiesTable } from './_study-schema.ts';
import { prepareStudyStatements, type OwnerArgs } from './_study-statements.ts';
import { writeFailureHint } from './store-errors.ts';
import { TRIAL_STATES } from './study-types.ts';
import type { StudyConfig, StudyRecord, StudySummary, TrialRecord, TrialState } from './study-types.ts';

/** A study this process runs; `release` gives it up (idempotent). */
export interface StudyLease {
  release(): void;
}

export interface StudyStore {
  readonly file: string;
  /** ValidationError if `name` is taken (message names it and says: use --resume <name> or another --name). */
  createStudy(name: string, config: StudyConfig): StudyRecord;
  /** Exact id, exact name, or a unique id prefix (>= 4 chars); undefined otherwise. */
  getStudy(ref: string): StudyRecord | undefined;
  /** Newest first. */
  listStudies(options?: { limit?: number }): StudySummary[];
  summary(id: string): StudySummary | undefined;
  updateStudy(id: string, patch: Partial<Pick<StudyRecord, 'status' | 'finishedAt' | 'error' | 'trials' | 'parallel'>>): void;
  /**
   * Takes ownership of a study for this process (host, pid, token, heartbeat like runs); heartbeats until
   * released. Throws ValidationError if a LIVE process owns it ("study 'x' is being run by pid N on host H; wait
   * for it or stop it"); takes over a dead owner's study (and sets status 'running').
   */
  claimStudy(id: string): StudyLease;
  /** Ordered by number. */
  trials(studyId: string): TrialRecord[];
  /** Upsert by (studyId, number), every field (incl. intermediate, attrs). */
  putTrial(trial: TrialRecord): void;
  /** Upsert one intermediate point without rewriting the whole trial (called per step event). */
  setIntermediate(studyId: string, number: number, step: number, value: number): void;
  close(): void;
}

/** Shortest id prefix `getStudy` resolves: shorter ones would match by accident. */
export const MIN_STUDY_PREFIX = 4;

// Above every character an id can hold, so [prefix, prefix + MAX_CHAR) is "starts with prefix".
const MAX_CHAR = '\u{10FFFF}';

const PATCH_COLUMNS = { status: 'status', finishedAt: 'finished_at', error: 'error', trials: 'trials', parallel: 'parallel' } as const;

/**
 * Opens the studies of the run store in `file` (creating and migrating it as the run store does),
 * writable, and marks `running` studies whose process died `interrupted`.
 * @example
 * const studies = openStudyStore('.mlcycle/mlcycle.db');
 * const study = studies.createStudy('wine-tpe', config);
 * const lease = studies.claimStudy(study.id);
 * studies.putTrial({ studyId: study.id, number: 0, params: { algorithm: 'mlp' }, state: 'running', value: null,
 *   intermediate: {}, attrs: {}, runId: null, startedAt: Date.now(), finishedAt: null, error: null, prunedStep: null });
 * studies.setIntermediate(study.id, 0, 1, 0.82);
 * lease.release();
 * studies.close();
 */
export function openStudyStore(file: string): StudyStore {
  const { sqlite } = openStoreFile(file, false);
  let q: ReturnType<typeof prepareStudyStatements>;
  try {
    q = prepareStudyStatements(sqlite);
    reapDeadStudies(sqlite, q, Date.now());
  } catch (err) {
    sqlite.close();
    throw new MlcycleError(`openStudyStore: could not open the studies of '${file}': ${(err as Error).message}. ${writeFailureHint(err)}`, { cause: err });
  }
  let closed = false;
  // The studies this store has claimed and not released, with the owner written for each.
  const claims = new Map<string, OwnerArgs>();

  const ensureOpen = (method: string): void => {
    if (closed) throw new MlcycleError(`StudyStore.${method}: study store '${file}' is closed; open it again with openStudyStore`);
  };
  // Each write is its own transaction, committed before the call returns.
  const write = <T>(method: string, body: () => T): T => {
    ensureOpen(method);
    try {
      return sqlite.transaction(body).immediate();
    } catch (err) {
      if (err instanceof MlcycleError) throw err;
      throw new MlcycleError(`StudyStore.${method}: could not write to '${file}': ${(err as Error).message}. ${writeFailureHint(err)}`, { cause: err });
    }
  };

  // Claimed studies left behind (the process exits, the store closes) are nobody's: say so at once
  // rather than leaving it to the next open. Best effort, as for runs.
  const abandon = (why: string): void => {
    const owned = [...claims.values()];
    claims.clear();
    lease.dispose();
    if (closed) return;
    for (const owner of owned) {
      try {
        sqlite.transaction(() => {
          q.interruptStudy.run({ ...owner, at: Date.now(), error: `interrupted: ${why}. Run the same command again to continue it.` });
          q.release.run(owner);
        }).immediate();
      } catch {
        // The next open finds the owner dead and marks it.
      }
    }
  };

  const lease = createRunLease({
    beat: (ids, at) => {
      if (closed) return;
      for (const id of ids) {
        const owner = claims.get(id);
        try {
          if (owner) q.heartbeat.run({ ...owner, at });
        } catch {
          // A missed beat only matters to readers on other hosts, after STALE_HEARTBEAT_MS.
        }
      }
    },
    exiting: () => abandon('the process exited before the study finished'),
  });

  const summarize = (row: StudiesTable): StudySummary => {
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
    for (const { state, n } of q.stateCounts.all({ study_id: row.id })) counts[state] = n;
    const best = (row.direction === 'minimize' ? q.bestMin : q.bestMax).get({ study_id: row.id });
    return { ...toStudyRecord(row), counts, best: best ? { number: best.number, value: best.value } : null };
  };

  const findRow = (ref: string): StudiesTable | undefined => {
    if (ref === '') return undefined;
    const exact = q.studyById.get({ id: ref }) ?? q.studyByName.get({ name: ref });
    if (exact || ref.length < MIN_STUDY_PREFIX) return exact;
    const matches = q.studyIdsInRange.all({ from: ref, to: ref + MAX_CHAR });
    return matches.length === 1 ? q.studyById.get({ id: matches[0].id }) : undefined;
  };

  return {
    file,
    createStudy(name, config) {
      if (name.trim() === '') throw new ValidationError('a study needs a name: pass --name <name>');
      const row = studyRow(newRunId(), name, config, Date.now());
      return write('createStudy', () => {
        const taken = q.studyByName.get({ name });
        if (taken) {
          throw new ValidationError(
            `a study named '${name}' already exists (id ${taken.id}, ${taken.status}): use --resume ${name} to continue it, or another --name`,
          );
        }
        q.insertStudy.run(row);
        return toStudyRecord(row);
      });
    },
    getStudy(ref) {
      ensureOpen('getStudy');
      const row = findRow(ref);
      return row && toStudyRecord(row);
    },
    listStudies(options = {}) {
      ensureOpen('listStudies');
      return q.listStudies.all({ limit: options.limit ?? -1 }).map(summarize);
    },
    summary(id) {
      ensureOpen('summary');
      const row = q.studyById.get({ id });
      return row && summarize(row);
    },
    updateStudy(id, patch) {
      const set: Record<string, unknown> = {};
      for (const [key, column] of Object.entries(PATCH_COLUMNS)) {
        const v = Object.hasOwn(patch, key) ? patch[key as keyof typeof patch] : undefined;
        if (v === undefined) continue;
        if (key === 'trials' || key === 'parallel') checkInteger(`study ${id}`, key, v);
        set[column] = v;
      }
      write('updateStudy', () => {
        if (!q.studyById.get({ id })) throw new MlcycleError(`StudyStore.updateStudy: no study with id '${id}'`);
        if (Object.keys(set).length === 0) return;
        const { sql, parameters } = studyBuilder.updateTable('studies').set(set).where('id', '=', id).compile();
        sqlite.prepare(sql).run(...parameters);
      });
    },
    claimStudy(id) {
      ensureOpen('claimStudy');
      let owner: OwnerArgs;
      try {
        owner = claimOwnership(sqlite, q, id, Date.now());
      } catch (err) {
        if (err instanceof MlcycleError) throw err;
        throw new MlcycleError(`StudyStore.claimStudy: could not write to '${file}': ${(err as Error).message}. ${writeFailureHint(err)}`, { cause: err });
      }
      claims.set(id, owner);
      lease.started(id);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (claims.get(id) !== owner) return;
          claims.delete(id);
          lease.finished(id);
          if (!closed) write('release', () => q.release.run(owner));
        },
      };
    },
    trials(studyId) {
      ensureOpen('trials');
      return toTrialRecords(q.trials.all({ study_id: studyId }), q.trialValues.all({ study_id: studyId }));
    },
    putTrial(trial) {
      const { row, values } = trialRows(trial);
      write('putTrial', () => {
        if (!q.studyById.get({ id: trial.studyId })) throw new MlcycleError(`StudyStore.putTrial: no study with id '${trial.studyId}'`);
        q.putTrial.run(row);
        q.clearValues.run({ study_id: row.study_id, number: row.number });
        for (const v of values) q.putValue.run(v);
      });
    },
    setIntermediate(studyId, number, step, value) {
      const row = intermediateRow(studyId, number, step, value);
      write('setIntermediate', () => {
        if (!q.trialExists.get({ study_id: studyId, number })) {
          throw new MlcycleError(`StudyStore.setIntermediate: study '${studyId}' has no trial ${number}; putTrial it first`);
        }
        q.putValue.run(row);
      });
    },
    close() {
      if (closed) return;
      try {
        abandon('its study store was closed before the study finished');
      } finally {
        closed = true;
        sqlite.close();
      }
    },
  };
}
