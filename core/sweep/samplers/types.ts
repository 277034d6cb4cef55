/**
 * The contract between a study loop and its sampler, ask/tell style as in Optuna: before a trial
 * starts, the loop asks the sampler for its params, handing it everything known at that moment (the
 * finished trials and the ones still running, for parallel studies). Samplers are seeded at
 * construction and pure in the context: the same seed and the same context give the same params, and
 * each trial's randomness derives from (seed, trial number), so parallel ask order does not matter.
 */
import { MlcycleError } from '../../errors.ts';
import type { Space, TrialParams } from '../space.ts';

/** Whether the objective is to be made small or large. */
export type Direction = 'minimize' | 'maximize';

/** How a trial ended. Only `complete` trials carry a final `value`; `pruned` ones may carry their last intermediate one. */
export type FinishedTrialState = 'complete' | 'pruned' | 'failed';

/** A trial that is over. */
export interface FinishedTrial {
  /** 0-based trial number, unique in the study. */
  number: number;
  /** The params it ran with (branch params flattened as `<branch>.<name>`). */
  params: TrialParams;
  /** The objective: set for `complete` trials; for `pruned` ones the last intermediate value or null; null for `failed`. */
  value: number | null;
  state: FinishedTrialState;
  /** Step → objective reported at that step (per epoch, per batch of trees), if the trial reported any. */
  intermediate?: Record<number, number>;
}

/** A trial that has been handed params and has not finished yet. */
export interface RunningTrial {
  number: number;
  params: TrialParams;
}

/** Everything a sampler may read to choose the params of trial `trialNumber`. */
export interface SampleContext {
  space: Space;
  direction: Direction;
  /** Finished trials, in any order (samplers must not depend on it: sort by `number` if needed). */
  finished: readonly FinishedTrial[];
  /** Trials running now (parallel studies): a sampler should avoid handing out their points again. */
  running: readonly RunningTrial[];
  /** The number of the trial being sampled. */
  trialNumber: number;
}

/** A search strategy. Construct with a seed (`randomSampler({ seed })`); `sample` is deterministic in (seed, ctx). */
export interface Sampler {
  /** 'random', 'grid', 'tpe': stored with the study. */
  readonly name: string;
  /** The params of trial `ctx.trialNumber`: a value for every active param of `ctx.space`, nothing else. */
  sample(ctx: SampleContext): TrialParams;
}

/**
 * A sampler has no point left to give (a grid whose every point is finished or running). The study
 * loop catches it: with trials running it waits for them, otherwise the study ends early, complete.
 * @example
 * try { params = sampler.sample(ctx); } catch (e) { if (e instanceof SpaceExhaustedError) break; throw e; }
 */
export class SpaceExhaustedError extends MlcycleError {
  override readonly code: string = 'SPACE_EXHAUSTED';
  override readonly retryable = false;
}
