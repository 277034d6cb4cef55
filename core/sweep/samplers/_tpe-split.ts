/**
 * Which past trials TPE calls good: Optuna 3.1's `_get_observation_pairs` + `_split_observation_pairs`
 * for one objective. Each trial gets a score (step, loss) sorted lexicographically: complete trials
 * have step −∞ (always ahead), pruned ones −(last reported step) and their value there, so a trial
 * pruned late ranks ahead of one pruned early; running ones (the constant liar) +∞, always behind.
 * Failed trials are ignored. Losses are signed so that smaller is better for both directions.
 */
import type { TrialParams } from '../space.ts';
import type { Direction, FinishedTrial, RunningTrial } from './types.ts';

/** A trial that enters the estimators, with its rank key. */
export interface ScoredTrial {
  number: number;
  params: TrialParams;
  step: number;
  loss: number;
}

/** The scored trials in trial-number order, and how many of them are not running (Optuna's n). */
export interface Observations {
  trials: ScoredTrial[];
  n: number;
}

function pruneScore(t: FinishedTrial, sign: number): { step: number; loss: number } {
  let best: number | null = null;
  for (const key of Object.keys(t.intermediate ?? {})) {
    const step = Number(key);
    if (Number.isFinite(step) && (best === null || step > best)) best = step;
  }
  if (best !== null) {
    const v = (t.intermediate as Record<number, number>)[best];
    return { step: -best, loss: Number.isNaN(v) ? Infinity : sign * v };
  }
  // No intermediate values: Optuna ranks it behind every pruned trial that reported one. A loop
  // that stored only a final `value` gets step 0, the earliest a report can be.
  if (t.value !== null && !Number.isNaN(t.value)) return { step: 0, loss: sign * t.value };
  return { step: 1, loss: 0 };
}

/**
 * Scores finished (and, for the constant liar, running) trials.
 * @example
 * scoreTrials(ctx.finished, ctx.running, 'minimize', true)
 */
export function scoreTrials(
  finished: readonly FinishedTrial[],
  running: readonly RunningTrial[],
  direction: Direction,
  constantLiar: boolean,
): Observations {
  const sign = direction === 'minimize' ? 1 : -1;
  const trials: ScoredTrial[] = [];
  for (const t of finished) {
    if (t.state === 'complete') {
      // A complete trial without a usable value cannot be ranked; Optuna would have failed it.
      if (t.value === null || Number.isNaN(t.value)) continue;
      trials.push({ number: t.number, params: t.params, step: -Infinity, loss: sign * t.value });
    } else if (t.state === 'pruned') {
      trials.push({ number: t.number, params: t.params, ...pruneScore(t, sign) });
    }
  }
  const n = trials.length;
  if (constantLiar) {
    for (const t of running) trials.push({ number: t.number, params: t.params, step: Infinity, loss: Infinity });
  }
  trials.sort((a, b) => a.number - b.number);
  return { trials, n };
}

/**
 * Indices (into `trials`, ascending = chronological) of the `nBelow` best and of the rest; ties keep
 * trial order (numpy's stable argsort).
 * @example
 * const { below, above } = splitTrials(obs.trials, gamma(obs.n));
 */
export function splitTrials(trials: readonly ScoredTrial[], nBelow: number): { below: number[]; above: number[] } {
  const order = trials.map((_, i) => i);
  order.sort((i, j) => cmp(trials[i].step, trials[j].step) || cmp(trials[i].loss, trials[j].loss) || i - j);
  const below = order.slice(0, nBelow).sort((a, b) => a - b);
  const above = order.slice(nBelow).sort((a, b) => a - b);
  return { below, above };
}

/** Ascending with ±∞ in place and NaN last, as numpy sorts. */
function cmp(a: number, b: number): number {
  if (a === b) return 0;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : 1;
}
