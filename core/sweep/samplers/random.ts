/**
 * Random search: each active param drawn independently, as Optuna 3.1's RandomSampler does
 * (`optuna/samplers/_random.py` through `_transform.py`, see distribution.ts' samplingBounds and
 * fromSamplingSpace): ints and stepped floats uniform over
 * [low − step/2, high + step/2] then rounded to the grid, so every grid point is equally likely;
 * log ints ln-uniform over [low − ½, high + ½] then rounded; floats uniform or ln-uniform, kept below
 * high; choices and branches uniform. Same semantics as Optuna, not the same random numbers.
 */
import { ValidationError } from '../../errors.ts';
import { createPrng, type Prng } from '../_prng.ts';
import { fromSamplingSpace, samplingBounds } from '../distribution.ts';
import type { ChoiceValue, Distribution } from '../space.ts';
import { sampleSpace } from '../space-walk.ts';
import type { Sampler } from './types.ts';

export interface RandomSamplerOptions {
  /** The study seed: the same seed gives every trial number the same params. Default 0. */
  seed?: number;
}

/**
 * One independent draw from `d` (for a branch: a branch name). Exported for samplers that fall back
 * to random draws (TPE's start-up trials, a param with no history).
 * @example
 * drawFrom(int(1, 100, { log: true }), createPrng(0, 3))
 */
export function drawFrom(d: Distribution, rng: Prng): ChoiceValue {
  switch (d.kind) {
    case 'choice':
      return d.choices[rng.int(d.choices.length)];
    case 'branch': {
      const names = Object.keys(d.branches);
      return names[rng.int(names.length)];
    }
    case 'int':
    case 'float': {
      const [low, high] = samplingBounds(d);
      return fromSamplingSpace(d, rng.uniform(low, high));
    }
  }
}

/**
 * A random sampler. Each (trial, param) pair has its own stream derived from (seed, trial number,
 * param name), so a trial's params do not depend on the order parallel trials were asked in, and
 * adding a param to the space does not change the values the others get.
 * @example
 * const sampler = randomSampler({ seed: 42 });
 * sampler.sample({ space, direction: 'minimize', finished: [], running: [], trialNumber: 0 });
 */
export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValidationError(`random sampler: seed must be an integer, got ${seed}`);
  return {
    name: 'random',
    sample: (ctx) => sampleSpace(ctx.space, (p) => drawFrom(p.distribution, createPrng(seed, ctx.trialNumber, p.name))),
  };
}
