/**
 * One space param as TPE handles it: its Parzen view (a branch param is a categorical over its branch
 * names), a trial's value of it in the estimator's units (category index; null when the trial did not
 * have it or has a value the space no longer allows, e.g. a resumed study whose range changed), and
 * back. Plus the start-up draw, with Optuna 3.1's RandomSampler transforms (`optuna/_transform.py`).
 */
import type { Prng } from '../_prng.ts';
import { nextDown, roundHalfEven, sameChoice, snapToGrid } from '../distribution.ts';
import type { ChoiceValue, Distribution } from '../space.ts';
import { branchNames } from '../space-walk.ts';
import type { ParzenParam } from './_parzen.ts';

/**
 * The Parzen view of a distribution.
 * @example
 * parzenParam(choice({ a: {}, b: {} })) // { kind: 'categorical', size: 2 }
 */
export function parzenParam(d: Distribution): ParzenParam {
  switch (d.kind) {
    case 'int':
      return { kind: 'int', low: d.low, high: d.high, log: d.log, step: d.step };
    case 'float':
      return { kind: 'float', low: d.low, high: d.high, log: d.log, step: d.log ? null : d.step };
    case 'choice':
      return { kind: 'categorical', size: d.choices.length };
    case 'branch':
      return { kind: 'categorical', size: branchNames(d).length };
  }
}

function categories(d: Distribution & { kind: 'choice' | 'branch' }): readonly ChoiceValue[] {
  return d.kind === 'choice' ? d.choices : branchNames(d);
}

/**
 * A trial's value in estimator units, or null when it does not count as an observation.
 * @example
 * toInternal(choice(['relu', 'tanh']), 'tanh') // 1
 */
export function toInternal(d: Distribution, value: ChoiceValue | undefined): number | null {
  if (value === undefined) return null;
  if (d.kind === 'choice' || d.kind === 'branch') {
    const k = categories(d).findIndex((c) => sameChoice(c, value));
    return k < 0 ? null : k;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < d.low || value > d.high) return null;
  return value;
}

/**
 * Estimator units back to the param's value.
 * @example
 * toExternal(choice(['relu', 'tanh']), 1) // 'tanh'
 */
export function toExternal(d: Distribution, x: number): ChoiceValue {
  return d.kind === 'choice' || d.kind === 'branch' ? categories(d)[x] : x;
}

/**
 * A uniform draw in estimator units: ln-uniform for log params, each grid cell equally likely for
 * stepped ones (the range widened by half a step each side, then snapped), uniform categories.
 * @example
 * randomInternal(int(1, 100, { log: true }), createPrng(0, 3))
 */
export function randomInternal(d: Distribution, rng: Prng): number {
  switch (d.kind) {
    case 'choice':
    case 'branch':
      return rng.int(categories(d).length);
    case 'int':
      if (d.log) {
        const x = Math.exp(rng.uniform(Math.log(d.low - 0.5), Math.log(d.high + 0.5)));
        return Math.min(Math.max(roundHalfEven(x), d.low), d.high);
      }
      return snapToGrid(d, rng.uniform(d.low - 0.5 * d.step, d.high + 0.5 * d.step));
    case 'float': {
      if (d.low === d.high) return d.low;
      if (d.log) return Math.min(Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high))), nextDown(d.high));
      if (d.step !== null) return snapToGrid({ ...d, step: d.step }, rng.uniform(d.low - 0.5 * d.step, d.high + 0.5 * d.step));
      return Math.min(rng.uniform(d.low, d.high), nextDown(d.high));
    }
  }
}
