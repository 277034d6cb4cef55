/**
 * Row types of the study tables (migration 4), and a kysely compiler that knows them. Kept apart
 * from schema.ts so the run store's own types stay as they are; JSON columns are TEXT as there.
 */
import { sqliteBuilder } from './query-builder.ts';
import type { StudyStatus, TrialState } from './study-types.ts';

/** A REAL column that may hold NaN: SQLite stores a NaN REAL as NULL, so NaN is kept as the text 'NaN'. */
export type StoredReal = number | 'NaN';

export interface StudiesTable {
  id: string;
  name: string;
  dag: string;
  file: string | null;
  objective: string;
  direction: 'minimize' | 'maximize';
  /** JSON. */
  space: string;
  /** JSON. */
  sampler: string;
  /** JSON. */
  pruner: string;
  prune_on: string;
  /** JSON object of fixed DAG params. */
  fixed: string;
  trials: number;
  parallel: number;
  seed: number;
  /** The folder the fixed params' relative paths resolve against. */
  cwd: string | null;
  status: StudyStatus;
  created_at: number;
  finished_at: number | null;
  error: string | null;
  /** The process running the study (run-owner.ts); null when nobody has claimed it or it was released. */
  owner_host: string | null;
  owner_pid: number | null;
  owner_token: string | null;
  heartbeat_at: number | null;
}

export interface TrialsTable {
  study_id: string;
  number: number;
  /** JSON object. */
  params: string;
  state: TrialState;
  value: StoredReal | null;
  /** JSON object; non-finite numbers as strings (see _study-rows.ts). */
  attrs: string;
  run_id: string | null;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
  pruned_step: number | null;
}

export interface TrialValuesTable {
  study_id: string;
  number: number;
  step: number;
  value: StoredReal;
}

export type StudyTables = {
  studies: StudiesTable;
  trials: TrialsTable;
  trial_values: TrialValuesTable;
};

/**
 * The run store's compiler (query-builder.ts) with the study tables added.
 * @example
 * const { sql } = studyBuilder.selectFrom('studies').selectAll().compile();
 */
export const studyBuilder = sqliteBuilder.withTables<StudyTables>();
