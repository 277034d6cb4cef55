/**
 * The pruner contract. A study loop sees each trial's step events as they stream (an epoch's
 * `val_score`, a batch of trees' OOB score) and asks its pruner, once per event, whether that trial
 * should stop. A pruner is a pure, synchronous function of the study's history: everything it needs
 * is in the context, including the few numbers it keeps between calls (`attrs`, Optuna's
 * `system_attrs`), which it hands back in its decision for the loop to store with the trial. So a
 * study resumed after `kill -9` takes the same decisions as one that never stopped.
 */

// One Direction for samplers and pruners: a study hands the same value to both.
import type { Direction } from '../samplers/types.ts';

export type { Direction };

/** A trial's lifecycle as pruners see it; only `complete` trials are references for `median`. */
export type PrunerTrialState = 'complete' | 'pruned' | 'failed' | 'running';

/**
 * Intermediate values by step: a Map, or a plain object keyed by the step's decimal string (what a
 * trial's intermediate values become after a JSON round trip). Values may be NaN or ±Infinity.
 */
export type IntermediateValues = ReadonlyMap<number, number> | Readonly<Record<number, number>>;

/**
 * Numbers a pruner keeps with a trial between calls (ASHA: the value with which the trial completed
 * each rung). Owned by the pruner: the loop stores them and passes them back, never edits them.
 */
export type PrunerAttrs = Readonly<Record<string, number>>;

/** One trial of the study, as the pruner sees it. */
export interface PrunerTrial {
  number: number;
  state: PrunerTrialState;
  intermediate: IntermediateValues;
  /** What earlier decisions returned in `attrs` for this trial (merged); absent = none yet. */
  attrs?: PrunerAttrs;
}

/** What a pruner is asked, once per step event of a running trial. */
export interface PruneContext {
  /** The trial that just reported; its `intermediate` already holds the value at `step`. */
  trial: Omit<PrunerTrial, 'state'>;
  /**
   * The step to judge: the trial's newest step (a non-negative integer; an epoch, a batch of trees).
   * Optuna judges `last_step`; with events in step order that is the step just reported. A step
   * below the newest (a late k-fold fold filling in) is never a pruning step for `median`.
   */
  step: number;
  direction: Direction;
  /** Every trial of the study in any state; the current trial may be among them (it is skipped). */
  trials: readonly PrunerTrial[];
}

/** A pruner's answer. */
export interface PruneDecision {
  prune: boolean;
  /** One line for the live display, e.g. `pruned at step 7: 0.71 < median 0.78 of 6 trials`. */
  reason: string;
  /** Numbers to merge into the trial's `attrs` and store, even when it is pruned; absent = none. */
  attrs?: Record<string, number>;
}

/** A pruning rule (`none`, `median`, `percentile`, `asha`). */
export interface Pruner {
  /** Its name and options, for the study record and the report, e.g. `asha(reductionFactor=4)`. */
  readonly description: string;
  shouldPrune(ctx: PruneContext): PruneDecision;
}
