/**
 * The Tree-structured Parzen Estimator sampler, with Optuna 3.1's TPESampler semantics and defaults
 * (univariate): random params for the first `nStartupTrials` finished trials, then for each active
 * param a Parzen estimator l over the trials ranked best (gamma(n) of them) and g over the rest,
 * `nEiCandidates` draws from l, and the draw with the largest l/g. Conditional params are estimated
 * only from the trials that had them (Optuna's independent sampling), branch params first.
 *
 * Parallel trials: running trials join the "above" group (the constant liar), so l/g falls around
 * them; and a point equal to a running trial's is re-drawn, so two running trials never share one.
 * With nothing running the sampler equals Optuna 3.1's TPESampler, up to the random numbers.
 */
import { ValidationError } from '../../errors.ts';
import { createPrng, type Prng } from '../_prng.ts';
import { gridPointCount } from '../distribution.ts';
import type { ChoiceValue, Distribution, TrialParams } from '../space.ts';
import { paramsKey, sampleSpace, type SpaceParam } from '../space-walk.ts';
import { buildParzen, defaultWeights, logPdfParzen, sampleParzen, type ParzenOptions } from './_parzen.ts';
import { parzenParam, randomInternal, toExternal, toInternal } from './_tpe-param.ts';
import { scoreTrials, splitTrials, type ScoredTrial } from './_tpe-split.ts';
import { SpaceExhaustedError, type SampleContext, type Sampler } from './types.ts';

/** TPE settings; every default is Optuna 3.1's. */
export interface TpeOptions {
  /** Seed of the study: with the same history, the same seed gives the same params. */
  seed: number;
  /** Finished trials sampled at random before TPE starts (10). */
  nStartupTrials?: number;
  /** Candidates drawn from l per param (24). */
  nEiCandidates?: number;
  /** How many of n ranked trials are "good" (min(ceil(0.1·n), 25)). */
  gamma?: (n: number) => number;
  /** Kernel weights of n observations, oldest first (Optuna's default_weights). */
  weights?: (n: number) => number[];
  /** Weight of the prior kernel (1). */
  priorWeight?: number;
  considerPrior?: boolean;
  considerMagicClip?: boolean;
  considerEndpoints?: boolean;
  /** Running trials count as the worst (true; false reproduces Optuna 3.1's default exactly). */
  constantLiar?: boolean;
}

/**
 * Optuna's default_gamma: 10 % of the finished trials, rounded up, at most 25.
 * @example
 * defaultGamma(42) // 5
 */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

// Re-draws when a point equals a running trial's: TPE's own first, then uniform ones.
const TPE_REDRAWS = 8;
const RANDOM_REDRAWS = 64;

function isSingle(d: Distribution): boolean {
  switch (d.kind) {
    case 'choice':
      return d.choices.length === 1;
    case 'branch':
      return Object.keys(d.branches).length === 1;
    case 'int':
      return gridPointCount(d) === 1;
    case 'float':
      return d.low === d.high || (d.step !== null && gridPointCount({ ...d, step: d.step }) === 1);
  }
}

function singleValue(d: Distribution): ChoiceValue {
  if (d.kind === 'choice') return d.choices[0];
  if (d.kind === 'branch') return Object.keys(d.branches)[0];
  return d.low;
}

interface Ranked {
  trials: ScoredTrial[];
  below: number[];
  above: number[];
}

/** One param by TPE: the candidate from l with the largest log l − log g (first on ties, as argmax). */
function tpeValue(p: SpaceParam, ranked: Ranked, opts: ParzenOptions, nEi: number, rng: Prng): ChoiceValue {
  const d = p.distribution;
  const pp = parzenParam(d);
  const observed = (idx: number[]): number[] => {
    const out: number[] = [];
    for (const i of idx) {
      const v = toInternal(d, ranked.trials[i].params[p.name]);
      if (v !== null) out.push(v);
    }
    return out;
  };
  const l = buildParzen(observed(ranked.below), pp, opts);
  const g = buildParzen(observed(ranked.above), pp, opts);
  const candidates = sampleParzen(l, pp, rng, nEi);
  const logL = logPdfParzen(l, pp, candidates);
  const logG = logPdfParzen(g, pp, candidates);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const s = logL[i] - logG[i];
    if (s > bestScore) [best, bestScore] = [i, s];
  }
  return toExternal(d, candidates[best]);
}

/**
 * A TPE sampler.
 * @example
 * const sampler = tpeSampler({ seed: 42 });
 * const params = sampler.sample({ space, direction: 'minimize', finished, running: [], trialNumber: finished.length });
 */
export function tpeSampler(options: TpeOptions): Sampler {
  const { seed } = options;
  const nStartup = options.nStartupTrials ?? 10;
  const nEi = options.nEiCandidates ?? 24;
  const wholeNumber = (what: string, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new ValidationError(`tpeSampler: ${what} must be an integer >= ${min}, got ${v}`);
  };
  wholeNumber('seed', seed, Number.MIN_SAFE_INTEGER);
  wholeNumber('nStartupTrials', nStartup, 0);
  wholeNumber('nEiCandidates', nEi, 1);
  const priorWeight = options.priorWeight ?? 1;
  if (!(Number.isFinite(priorWeight) && priorWeight > 0)) throw new ValidationError(`tpeSampler: priorWeight must be a finite number > 0, got ${priorWeight}`);
  const gamma = options.gamma ?? defaultGamma;
  const constantLiar = options.constantLiar ?? true;
  const parzen: ParzenOptions = {
    considerPrior: options.considerPrior ?? true,
    priorWeight,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    weights: options.weights ?? defaultWeights,
  };

  return {
    name: 'tpe',
    sample(ctx: SampleContext): TrialParams {
      const rng = createPrng(seed, ctx.trialNumber);
      const { trials, n } = scoreTrials(ctx.finished, ctx.running, ctx.direction, constantLiar);
      const random = (p: SpaceParam): ChoiceValue =>
        isSingle(p.distribution) ? singleValue(p.distribution) : toExternal(p.distribution, randomInternal(p.distribution, rng));
      let draw = random;
      if (n >= nStartup) {
        const nBelow = gamma(n);
        if (!Number.isInteger(nBelow) || nBelow < 0) throw new ValidationError(`tpeSampler: gamma(${n}) must return an integer >= 0, got ${nBelow}`);
        const ranked = { trials, ...splitTrials(trials, nBelow) };
        draw = (p) => (isSingle(p.distribution) ? singleValue(p.distribution) : tpeValue(p, ranked, parzen, nEi, rng));
      }
      const held = new Set(ctx.running.map((t) => paramsKey(t.params)));
      let params = sampleSpace(ctx.space, draw);
      if (held.size === 0) return params;
      for (let i = 0; held.has(paramsKey(params)) && i < TPE_REDRAWS + RANDOM_REDRAWS; i++) {
        params = sampleSpace(ctx.space, i < TPE_REDRAWS ? draw : random);
      }
      if (held.has(paramsKey(params))) {
        throw new SpaceExhaustedError(
          `tpe: trial ${ctx.trialNumber}: every point drawn is held by a running trial (${held.size} running); ` +
            'wait for one to finish, or run fewer trials in parallel than the space has points',
        );
      }
      return params;
    },
  };
}
