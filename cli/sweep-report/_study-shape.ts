/**
 * The parts of a stored study and its trials that the report reads: a structural subset of the
 * store's `StudyRecord` / `TrialRecord` (core/store/study-types.ts), which are assignable to these as
 * they are, so the report can also draw a study that never touched a store (tests, the API).
 */
import type { ChoiceValue, Space } from '../../core/sweep/space.ts';

export type TrialState = 'queued' | 'running' | 'complete' | 'pruned' | 'failed';

export interface ReportStudy {
  id?: string | number;
  name: string;
  dag: string;
  objective: string;
  direction: 'minimize' | 'maximize';
  /** The study's Space JSON (the store keeps it as `unknown`); read through `spaceOf`. */
  space: Space | unknown;
  /** A SamplerSpec (`{ kind, … }`) or a name; shown as given. */
  sampler: unknown;
  pruner: unknown;
  pruneOn?: string | null;
  trials?: number;
  status?: string;
  error?: string | null;
}

export interface ReportTrial {
  number: number;
  params: Record<string, ChoiceValue>;
  state: TrialState;
  value: number | null;
  /** Step → value; JSON turns NaN/±Infinity into null, and a Map may come from memory. */
  intermediate: Record<number, number | null> | ReadonlyMap<number, number> | null | undefined;
  runId?: string | null;
  error?: string | null;
  prunedStep?: number | null;
}
