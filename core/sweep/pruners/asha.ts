/**
 * Asynchronous successive halving (ASHA), with Optuna 3.1's `SuccessiveHalvingPruner` semantics and
 * defaults. Rung k sits at step `minResource · reductionFactor^(minEarlyStoppingRate + k)`. The first
 * time a trial is judged at or past a rung's step, its value there is recorded in its attrs
 * (`completed_rung_k`, as Optuna names it) and it goes on only if that value is in the top
 * 1/reductionFactor of the values every trial (any state: pruned ones too) recorded at that rung;
 * while fewer than reductionFactor trials have reached a rung, only a value as good as the best
 * goes on. No trial waits for others, which is what makes it asynchronous.
 *
 * `minResource: 'auto'` is Optuna's estimate, made once, when a trial is first judged after some
 * trial completed: max(floor(last step of the longest completed trial / 100), 1). Optuna keeps it in
 * the pruner object; here it is stored in the attrs of the trial that made it (`min_resource`), so
 * the decisions stay a pure function of the stored study, also after a resume.
 */
import { ValidationError } from '../../errors.ts';
import { attrNumber, checkStep, fmt, stepEntries, valueAt, type Reader } from './_intermediate.ts';
import type { Direction, PruneContext, PruneDecision, Pruner, PrunerAttrs, PrunerTrial } from './types.ts';

/** Options of `ashaPruner`; the defaults are Optuna 3.1's. */
export interface AshaPrunerOptions {
  /** Steps before the first rung, or 'auto' (estimated from the first completed trial). Default 'auto'. */
  minResource?: number | 'auto';
  /** Keep the top 1/reductionFactor at each rung; rungs are this factor apart. Default 4. */
  reductionFactor?: number;
  /** Shifts the first rung to minResource · reductionFactor^rate. Default 0. */
  minEarlyStoppingRate?: number;
  /** A trial is pruned at a rung that at most this many trials (itself included) reached. Default 0. */
  bootstrapCount?: number;
}

/**
 * The attr holding the value with which a trial completed rung k (Optuna's system attr name).
 * @example
 * rungKey(0) // 'completed_rung_0'
 */
export const rungKey = (rung: number): string => `completed_rung_${rung}`;
/** The attr holding the 'auto' estimate of minResource, on the trial that made it. */
export const MIN_RESOURCE_KEY = 'min_resource';

function checkInt(name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new ValidationError(`ashaPruner: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

function currentRung(attrs: PrunerAttrs | undefined): number {
  let rung = 0;
  while (attrNumber(attrs, rungKey(rung)) !== undefined) rung++;
  return rung;
}

/** The stored 'auto' estimate: the one on the lowest-numbered trial, should several carry one. */
function storedMinResource(ctx: PruneContext): number | undefined {
  let found: number | undefined;
  let foundOn = Infinity;
  const consider = (t: { number: number; attrs?: PrunerAttrs }): void => {
    const v = attrNumber(t.attrs, MIN_RESOURCE_KEY);
    if (v !== undefined && Number.isSafeInteger(v) && v >= 1 && t.number < foundOn) [found, foundOn] = [v, t.number];
  };
  consider(ctx.trial);
  for (const t of ctx.trials) consider(t);
  return found;
}

/** Optuna's `_estimate_min_resource`: undefined until a trial with steps has completed. */
function estimateMinResource(trials: readonly PrunerTrial[]): number | undefined {
  let lastStep: number | undefined;
  for (const t of trials) {
    if (t.state !== 'complete') continue;
    for (const [s] of stepEntries({ pruner: 'asha', trial: t.number }, t.intermediate)) if (lastStep === undefined || s > lastStep) lastStep = s;
  }
  return lastStep === undefined ? undefined : Math.max(Math.floor(lastStep / 100), 1);
}

/** Optuna's `_is_trial_promotable_to_next_rung`; returns the value to beat, and whether `value` does. */
function promotion(value: number, values: readonly number[], reductionFactor: number, direction: Direction): { ok: boolean; bar: number } {
  const idx = Math.max(Math.floor(values.length / reductionFactor) - 1, 0);
  const competing = Float64Array.from(values).sort(); // never NaN: a NaN trial is pruned before it is recorded
  if (direction === 'maximize') {
    const bar = competing[competing.length - 1 - idx]!;
    return { ok: value >= bar, bar };
  }
  const bar = competing[idx]!;
  return { ok: value <= bar, bar };
}

/**
 * Optuna 3.1's `SuccessiveHalvingPruner` (asynchronous successive halving); defaults minResource
 * 'auto', reductionFactor 4, minEarlyStoppingRate 0, bootstrapCount 0. Store the `attrs` of every
 * decision with the trial, pruned or not: later decisions compare against them.
 * @example
 * const pruner = ashaPruner();
 * const d = pruner.shouldPrune({ trial: { number: 3, intermediate: curve, attrs }, step: 4, direction: 'maximize', trials });
 * store(trial, { ...attrs, ...d.attrs }); if (d.prune) abort(trial, d.reason);
 */
export function ashaPruner(options: AshaPrunerOptions = {}): Pruner {
  if (typeof options.minResource === 'string' && options.minResource !== 'auto') {
    throw new ValidationError(`ashaPruner: minResource must be an integer >= 1 or 'auto', got '${options.minResource}'`);
  }
  const fixedMinResource = options.minResource === undefined || options.minResource === 'auto'
    ? undefined : checkInt('minResource', options.minResource, 1);
  const reductionFactor = checkInt('reductionFactor', options.reductionFactor ?? 4, 2);
  const rate = checkInt('minEarlyStoppingRate', options.minEarlyStoppingRate ?? 0, 0);
  const bootstrapCount = checkInt('bootstrapCount', options.bootstrapCount ?? 0, 0);
  if (bootstrapCount > 0 && fixedMinResource === undefined) {
    throw new ValidationError(`ashaPruner: bootstrapCount > 0 needs a fixed minResource (got 'auto'); set minResource to the steps of the first rung`);
  }

  function shouldPrune(ctx: PruneContext): PruneDecision {
    const { trial, step, direction, trials } = ctx;
    const me: Reader = { pruner: 'asha', trial: trial.number };
    checkStep(me, step);
    const value = valueAt(me, trial.intermediate, step);
    if (value === undefined) throw new ValidationError(`asha pruner, trial ${trial.number}: no value at step ${step}; record the step's value in the trial before asking`);
    const attrs: Record<string, number> = {};
    const done = (prune: boolean, reason: string): PruneDecision => (Object.keys(attrs).length > 0 ? { prune, reason, attrs } : { prune, reason });

    let minResource = fixedMinResource ?? storedMinResource(ctx);
    if (minResource === undefined) {
      minResource = estimateMinResource(trials);
      if (minResource === undefined) return done(false, 'waiting for a first completed trial to place the rungs');
      attrs[MIN_RESOURCE_KEY] = minResource;
    }
    const startRung = currentRung(trial.attrs);
    // Each pass moves one rung up and rung steps grow by reductionFactor >= 2, so a finite step ends it.
    for (let rung = startRung; ; rung++) {
      const rungStep = minResource * reductionFactor ** (rate + rung);
      if (step < rungStep) {
        return done(false, rung > startRung ? `promoted to rung ${rung} (next check at step ${rungStep})` : `rung ${rung} at step ${rungStep}`);
      }
      if (Number.isNaN(value)) return done(true, `pruned at step ${step} (rung ${rung}): the value is NaN`);
      const key = rungKey(rung);
      attrs[key] = value;
      const competing = [value];
      for (const t of trials) {
        if (t.number === trial.number) continue;
        const v = attrNumber(t.attrs, key);
        if (v !== undefined) competing.push(v);
      }
      if (competing.length <= bootstrapCount) {
        return done(true, `pruned at step ${step} (rung ${rung}): ${competing.length} trial(s) reached it, bootstrapCount needs more than ${bootstrapCount}`);
      }
      const { ok, bar } = promotion(value, competing, reductionFactor, direction);
      if (!ok) {
        const cmp = direction === 'maximize' ? '<' : '>';
        return done(true, `pruned at step ${step} (rung ${rung}): ${fmt(value)} ${cmp} ${fmt(bar)}, the top 1/${reductionFactor} of ${competing.length} trial(s)`);
      }
    }
  }

  const mr = fixedMinResource ?? "'auto'";
  return {
    description: `asha(minResource=${mr}, reductionFactor=${reductionFactor}, minEarlyStoppingRate=${rate}, bootstrapCount=${bootstrapCount})`,
    shouldPrune,
  };
}
