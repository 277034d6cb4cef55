/** Which trial is best: one rule for the study loop, the CLI's tables and `sweeps best`. */
import type { TrialRecord } from '../store/study-types.ts';

/**
 * The best complete trial by `direction` (NaN never best; ties go to the lower number), or null.
 * @example
 * bestOf(trials, 'maximize')?.params
 */
export function bestOf(trials: Iterable<TrialRecord>, direction: 'minimize' | 'maximize'): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null || Number.isNaN(t.value)) continue;
    if (!best || (direction === 'minimize' ? t.value < best.value! : t.value > best.value!) || (t.value === best.value && t.number < best.number)) best = t;
  }
  return best;
}
