/**
 * The parts of a stored study and its trials that the report reads. A structural copy of
 * `StudyRecord` / `TrialRecord` (core/store/study-types.ts, written in parallel): only the fields used
 * here, so the store's records are assignable to these without a cast. Swap for an import from the
 * store once that file lands.
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
