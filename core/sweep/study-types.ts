/** What a study reports while it runs (the CLI's live lines) and what it returns. */
import type { StudyRecord, TrialRecord } from '../store/study-types.ts';

/** The end of a study: every trial, the best complete one, and what the trials' runs executed. */
export interface StudyResult {
  study: StudyRecord;
  /** Every trial by number (this session's and, when resumed, earlier ones). */
  trials: TrialRecord[];
  best: TrialRecord | null;
  /** Nodes this session's trials executed; the rest were served from the cache or shared. */
  executedNodes: number;
  cachedNodes: number;
  /** The DAG param each trial's exports went to (`<home>/sweeps/<study>/trial-<n>`), or null. */
  outParam: string | null;
  /** A grid sampler ran out of points before the trial count. */
  exhausted: boolean;
  /**
   * Why the study stopped before its trials were done: the objective is not in the results, or a node
   * fails identically in every trial. A ValidationError when the input is at fault (CLI exit 2).
   */
  stopError?: Error;
}

export type StudyEvent =
  | { type: 'study-started'; study: StudyRecord; resumed: boolean; finished: number; rerun: number }
  | { type: 'trial-started'; trial: TrialRecord; rerun: boolean }
  | { type: 'trial-step'; trial: TrialRecord; step: number; value: number }
  | { type: 'trial-finished'; trial: TrialRecord; best: TrialRecord | null; finished: number; target: number; executed: number; cached: number }
  | { type: 'study-finished'; result: StudyResult };
