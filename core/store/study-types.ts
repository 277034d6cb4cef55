/**
 * The records of a sweep as the run store keeps them (study-store.ts): a study (what it was asked
 * to do, and how it stands) and its trials. Plain data, no behaviour.
 */
import type { ChoiceValue } from '../sweep/space.ts';

/** `interrupted`: its process died (found when a store opens); the same command resumes it. */
export type StudyStatus = 'running' | 'complete' | 'failed' | 'cancelled' | 'interrupted';

export type TrialState = 'queued' | 'running' | 'complete' | 'pruned' | 'failed';

/** Every trial state, in the order summaries list them. */
export const TRIAL_STATES: readonly TrialState[] = ['queued', 'running', 'complete', 'pruned', 'failed'];

/** What a study was asked to do; stored as given (JSON columns where not scalar). */
export interface StudyConfig {
  /** DAG name. */
  dag: string;
  /** Absolute path of the DAG or sweep file. */
  file: string | null;
  /** Path into the DAG's results, e.g. 'cv.accuracy.mean'. */
  objective: string;
  direction: 'minimize' | 'maximize';
  /** The Space, JSON. */
  space: unknown;
  /** Sampler spec, JSON (e.g. { kind: 'tpe', options: {...} }). */
  sampler: unknown;
  /** Pruner spec, JSON. */
  pruner: unknown;
  /** Step metric the pruner reads, e.g. 'val_score'. */
  pruneOn: string;
  /** Fixed DAG params. */
  fixed: Record<string, unknown>;
  /** Target number of trials. */
  trials: number;
  parallel: number;
  seed: number;
  /**
   * The folder the study ran in: relative paths in `fixed` resolve against it, so `sweeps best --export`
   * run from elsewhere still finds the cached trial. Optional on input (null when unknown).
   */
  cwd?: string | null;
}

export interface StudyRecord extends StudyConfig {
  id: string;
  name: string;
  status: StudyStatus;
  createdAt: number;
  finishedAt: number | null;
  error: string | null;
}

export interface StudySummary extends StudyRecord {
  counts: Record<TrialState, number>;
  /** Best COMPLETE trial by direction (NaN values never best; ties go to the lower number). */
  best: { number: number; value: number } | null;
}

export interface TrialRecord {
  studyId: string;
  /** 0-based, unique per study. */
  number: number;
  /** Trial params; a choice value may be a flat array (layer sizes). */
  params: Record<string, ChoiceValue>;
  state: TrialState;
  /** Objective (complete) or last intermediate (pruned). NaN and ±Infinity round-trip. */
  value: number | null;
  /** Step -> value; NaN and ±Infinity round-trip. */
  intermediate: Record<number, number>;
  /** Pruner attrs (ASHA rungs); NaN and ±Infinity round-trip. */
  attrs: Record<string, number>;
  runId: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** failed: the error message; pruned: the pruner's reason. */
  error: string | null;
  prunedStep: number | null;
}
