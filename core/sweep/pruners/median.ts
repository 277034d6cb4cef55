/**
 * The median (and percentile) stopping rule, with Optuna 3.1's `MedianPruner`/`PercentilePruner`
 * semantics and defaults: once `nStartupTrials` trials have completed, a trial is pruned at a step
 * when its best value so far is worse than the median (percentile) of the values that completed
 * trials reported at that same step. Only `complete` trials are references: pruned, failed and
 * running ones are not (a pruned trial's curve is the kind we want to stop, not to compare with).
 */
import { ValidationError } from '../../errors.ts';
import { checkStep, fmt, stepEntries, valueAt, type Reader } from './_intermediate.ts';
import { nanPercentile } from './_percentile.ts';
import type { Direction, PruneContext, PruneDecision, Pruner } from './types.ts';

/** Options shared by `medianPruner` and `percentilePruner`; the defaults are Optuna 3.1's. */
export interface PercentilePrunerOptions {
  /** No pruning until this many trials have completed. Default 5. */
  nStartupTrials?: number;
  /** No pruning before this step (steps count from 0). Default 0. */
  nWarmupSteps?: number;
  /** Judge every this many steps after the warm-up (a missed check waits for the next report). Default 1. */
  intervalSteps?: number;
  /** No pruning at a step that fewer completed trials reported. Default 1. */
  nMinTrials?: number;
}

function checkCount(name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new ValidationError(`percentilePruner: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** Optuna's `_is_first_in_interval_step`: the first report at or after the latest pruning step. */
function isFirstInInterval(step: number, steps: readonly number[], warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}

/** numpy's nanmax / nanmin: NaN only when every value is NaN. */
function nanBest(values: readonly number[], direction: Direction): number {
  let best = Number.NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'maximize' ? v > best : v < best)) best = v;
  }
  return best;
}

function ordinal(p: number): string {
  if (p === 50) return 'median';
  const n = fmt(p);
  const suffix = /1\d$/.test(n) || !/[123]$/.test(n) ? 'th' : ['st', 'nd', 'rd'][Number(n.at(-1)) - 1];
  return `${n}${suffix} percentile`;
}

/**
 * Prunes a trial whose best value so far falls in the worst `100 - percentile` % of the completed
 * trials' values at the same step (`percentile` 25 keeps the top 25 %).
 * @example
 * const pruner = percentilePruner(25, { nStartupTrials: 5, nWarmupSteps: 10 });
 * pruner.shouldPrune({ trial, step, direction: 'maximize', trials }).prune
 */
export function percentilePruner(percentile: number, options: PercentilePrunerOptions = {}): Pruner {
  if (!Number.isFinite(percentile) || percentile < 0 || percentile > 100) {
    throw new ValidationError(`percentilePruner: percentile must be between 0 and 100, got ${String(percentile)}`);
  }
  const nStartupTrials = checkCount('nStartupTrials', options.nStartupTrials ?? 5, 0);
  const nWarmupSteps = checkCount('nWarmupSteps', options.nWarmupSteps ?? 0, 0);
  const intervalSteps = checkCount('intervalSteps', options.intervalSteps ?? 1, 1);
  const nMinTrials = checkCount('nMinTrials', options.nMinTrials ?? 1, 1);
  const name = percentile === 50 ? 'median' : `percentile(${fmt(percentile)})`;
  const label = ordinal(percentile);

  function shouldPrune({ trial, step, direction, trials }: PruneContext): PruneDecision {
    const me: Reader = { pruner: name, trial: trial.number };
    checkStep(me, step);
    if (valueAt(me, trial.intermediate, step) === undefined) {
      throw new ValidationError(`${name} pruner, trial ${trial.number}: no value at step ${step}; record the step's value in the trial before asking`);
    }
    const completed = trials.filter((t) => t.state === 'complete' && t.number !== trial.number);
    if (completed.length === 0 || completed.length < nStartupTrials) {
      return { prune: false, reason: `start-up: ${completed.length}/${Math.max(nStartupTrials, 1)} trials complete` };
    }
    if (step < nWarmupSteps) return { prune: false, reason: `warm-up: step ${step} < ${nWarmupSteps}` };
    const entries = stepEntries(me, trial.intermediate);
    if (!isFirstInInterval(step, entries.map(([s]) => s), nWarmupSteps, intervalSteps)) {
      return { prune: false, reason: `step ${step} is not a pruning step (every ${intervalSteps} after ${nWarmupSteps})` };
    }
    // Optuna compares the trial's best over all its steps with the others' values at this very step.
    const best = nanBest(entries.map(([, v]) => v), direction);
    if (Number.isNaN(best)) return { prune: true, reason: `pruned at step ${step}: every value so far is NaN` };
    const atStep: number[] = [];
    const other: Reader = { pruner: name, trial: 0 };
    for (const t of completed) {
      other.trial = t.number;
      const v = valueAt(other, t.intermediate, step);
      if (v !== undefined) atStep.push(v);
    }
    if (atStep.length < nMinTrials) {
      return { prune: false, reason: `only ${atStep.length} completed trial(s) reported step ${step} (needs ${nMinTrials})` };
    }
    const threshold = nanPercentile(atStep, direction === 'maximize' ? 100 - percentile : percentile);
    if (Number.isNaN(threshold)) return { prune: false, reason: `no ${label} at step ${step}: the completed trials' values there are not comparable` };
    const prune = direction === 'maximize' ? best < threshold : best > threshold;
    const cmp = direction === 'maximize' ? (prune ? '<' : '>=') : (prune ? '>' : '<=');
    return {
      prune,
      reason: `${prune ? 'pruned at' : 'kept at'} step ${step}: ${fmt(best)} ${cmp} ${label} ${fmt(threshold)} of ${atStep.length} trial(s)`,
    };
  }

  const opts = `nStartupTrials=${nStartupTrials}, nWarmupSteps=${nWarmupSteps}, intervalSteps=${intervalSteps}, nMinTrials=${nMinTrials}`;
  return { description: `${name}(${opts})`, shouldPrune };
}

/**
 * Optuna 3.1's `MedianPruner`: prune a trial whose best value so far is worse than the median of the
 * completed trials' values at the same step; defaults nStartupTrials 5, nWarmupSteps 0,
 * intervalSteps 1, nMinTrials 1.
 * @example
 * const pruner = medianPruner();
 * const { prune, reason } = pruner.shouldPrune({ trial: { number: 6, intermediate: new Map([[0, 0.5]]) }, step: 0, direction: 'maximize', trials });
 * // reason: 'pruned at step 0: 0.5 < median 0.62 of 6 trial(s)'
 */
export function medianPruner(options: PercentilePrunerOptions = {}): Pruner {
  return percentilePruner(50, options);
}
