/**
 * Pruners against Optuna 3.1. test/fixtures/sweep/pruners-golden.py replays seeded learning curves
 * (NaN and ±Infinity among them, several trials running at once, one failing) through real Optuna
 * studies and records every `should_prune()`; here the same history goes through our pruners, which
 * must take the same decision at every step of every trial.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/errors.ts';
import {
  ashaPruner, createPruner, foldMeanAt, foldMeanCurve, medianPruner, MIN_RESOURCE_KEY, nonePruner, percentilePruner,
  type Direction, type Pruner, type PrunerSpec, type PrunerTrial, type PrunerTrialState,
} from '../../core/sweep/pruners/index.ts';
import { nanPercentile } from '../../core/sweep/pruners/_percentile.ts';

type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';
type Op = ['ask', number] | ['report', number, number, Encoded, boolean] | ['tell', number, PrunerTrialState];
interface Scenario {
  name: string;
  pruner: { kind: 'median' | 'percentile' | 'asha'; options: Record<string, number | string> };
  direction: Direction;
  ops: Op[];
  rungAttrs?: Record<string, Record<string, Encoded>>;
  minResource?: number;
}
interface Golden {
  optuna: string;
  percentiles: Array<{ values: Encoded[]; percentile: number; result: Encoded }>;
  scenarios: Scenario[];
}

const golden = JSON.parse(readFileSync(new URL('../fixtures/sweep/pruners-golden.json', import.meta.url), 'utf8')) as Golden;
const num = (v: Encoded): number => (typeof v === 'number' ? v : Number(v));

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function prunerFor(s: Scenario): Pruner {
  const { percentile, ...rest } = s.pruner.options;
  const options = Object.fromEntries(Object.entries(rest).map(([k, v]) => [camel(k), v]));
  const spec = s.pruner.kind === 'percentile'
    ? { kind: 'percentile', percentile: percentile as number, options }
    : { kind: s.pruner.kind, options };
  return createPruner(spec as PrunerSpec);
}

interface Replayed {
  mismatches: Array<{ trial: number; step: number; optuna: boolean; ours: boolean; reason: string }>;
  decisions: number;
  pruned: number;
  trials: Map<number, PrunerTrial & { attrs: Record<string, number> }>;
}

/**
 * Feeds the golden history to a pruner. `asJson`: intermediate values as string-keyed objects, the
 * current trial left out of `trials`, and a new pruner object for every decision (so any state
 * kept outside the attrs would show).
 */
function replay(s: Scenario, { asJson = false } = {}): Replayed {
  let pruner = prunerFor(s);
  const trials = new Map<number, PrunerTrial & { attrs: Record<string, number>; curve: Map<number, number>; json: Record<string, number> }>();
  const out: Replayed = { mismatches: [], decisions: 0, pruned: 0, trials };
  const view = (t: PrunerTrial & { curve: Map<number, number>; json: Record<string, number> }): PrunerTrial => ({ ...t, intermediate: asJson ? t.json : t.curve });
  for (const op of s.ops) {
    if (op[0] === 'ask') {
      trials.set(op[1], { number: op[1], state: 'running', intermediate: new Map(), curve: new Map(), json: {}, attrs: {} });
    } else if (op[0] === 'tell') {
      trials.get(op[1])!.state = op[2];
    } else {
      const [, number, step, value, optuna] = op;
      const t = trials.get(number)!;
      t.curve.set(step, num(value));
      t.json[String(step)] = num(value);
      if (asJson) pruner = prunerFor(s);
      const all = [...trials.values()].filter((o) => !asJson || o.number !== number).map(view);
      const d = pruner.shouldPrune({ trial: view(t), step, direction: s.direction, trials: all });
      Object.assign(t.attrs, d.attrs);
      out.decisions++;
      if (d.prune) out.pruned++;
      if (d.prune !== optuna) out.mismatches.push({ trial: number, step, optuna, ours: d.prune, reason: d.reason });
    }
  }
  return out;
}

describe('pruners take Optuna 3.1\'s decision at every step', () => {
  it('the fixture comes from Optuna 3.1.0 and covers both pruners, both directions, NaN and infinities', () => {
    expect(golden.optuna).toBe('3.1.0');
    const kinds = new Set(golden.scenarios.map((s) => `${s.pruner.kind === 'percentile' ? 'median' : s.pruner.kind}/${s.direction}`));
    expect([...kinds].sort()).toEqual(['asha/maximize', 'asha/minimize', 'median/maximize', 'median/minimize']);
    const values = golden.scenarios.flatMap((s) => s.ops.filter((o) => o[0] === 'report').map((o) => o[3]));
    expect(values).toContain('NaN');
    expect(values).toContain('Infinity');
    expect(values).toContain('-Infinity');
  });

  it.each(golden.scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const r = replay(s);
    expect(r.mismatches).toEqual([]);
    // A scenario where nothing (or everything) is pruned would prove little.
    expect(r.pruned).toBeGreaterThan(5);
    expect(r.decisions - r.pruned).toBeGreaterThan(50);
    if (s.pruner.kind === 'asha') {
      const ours: Record<string, Record<string, number>> = {};
      for (const [n, t] of r.trials) {
        const rungs = Object.entries(t.attrs).filter(([k]) => k.startsWith('completed_rung_'));
        if (rungs.length > 0) ours[String(n)] = Object.fromEntries(rungs);
      }
      const theirs = Object.fromEntries(Object.entries(s.rungAttrs!).map(([n, a]) => [n, Object.fromEntries(Object.entries(a).map(([k, v]) => [k, num(v)]))]));
      expect(ours).toEqual(theirs);
      if (s.pruner.options.min_resource === undefined) {
        const estimates = [...r.trials.values()].map((t) => t.attrs[MIN_RESOURCE_KEY]).filter((v) => v !== undefined);
        expect(estimates).toEqual([s.minResource]); // made once, kept on one trial
      }
    }
  });

  it.each(golden.scenarios.map((s) => [s.name, s] as const))('%s: same decisions from JSON-shaped trials and a fresh pruner per call', (_name, s) => {
    expect(replay(s, { asJson: true }).mismatches).toEqual([]);
  });

  it('the long-curve ASHA scenario really estimated minResource above 1', () => {
    expect(golden.scenarios.some((s) => s.pruner.kind === 'asha' && s.pruner.options.min_resource === undefined && s.minResource! > 1)).toBe(true);
  });
});

describe('nanPercentile equals numpy 1.24 nanpercentile', () => {
  it.each(golden.percentiles.map((c) => [JSON.stringify(c.values), c.percentile, c] as const))('%s at %d', (_v, _p, c) => {
    expect(nanPercentile(c.values.map(num), c.percentile)).toBe(num(c.result));
  });
});

const complete = (number: number, values: number[]): PrunerTrial => ({ number, state: 'complete', intermediate: new Map(values.map((v, i) => [i, v])) });

describe('reasons for the live line', () => {
  const others = [0.7, 0.75, 0.78, 0.8, 0.9].map((v, i) => complete(i, Array(8).fill(v) as number[]));
  const trial = { number: 5, intermediate: new Map([[0, 0.5], [7, 0.71]]) };

  it('median: pruned with the best value and the median it missed', () => {
    expect(medianPruner().shouldPrune({ trial, step: 7, direction: 'maximize', trials: others }))
      .toEqual({ prune: true, reason: 'pruned at step 7: 0.71 < median 0.78 of 5 trial(s)' });
    expect(medianPruner().shouldPrune({ trial, step: 7, direction: 'maximize', trials: others.slice(0, 4) }))
      .toEqual({ prune: false, reason: 'start-up: 4/5 trials complete' });
    expect(percentilePruner(25).shouldPrune({ trial, step: 7, direction: 'minimize', trials: others }))
      .toEqual({ prune: false, reason: 'kept at step 7: 0.5 <= 25th percentile 0.75 of 5 trial(s)' });
  });

  it('asha: rung, value and the bar it had to reach; the rung value is returned for storage', () => {
    const trials = others.map((t, i) => ({ ...t, attrs: { completed_rung_0: 0.7 + i * 0.05, [MIN_RESOURCE_KEY]: 1 } }));
    const d = ashaPruner().shouldPrune({ trial: { number: 5, intermediate: new Map([[1, 0.72]]) }, step: 1, direction: 'maximize', trials });
    expect(d).toEqual({ prune: true, reason: 'pruned at step 1 (rung 0): 0.72 < 0.9, the top 1/4 of 6 trial(s)', attrs: { completed_rung_0: 0.72 } });
    const up = ashaPruner().shouldPrune({ trial: { number: 5, intermediate: new Map([[1, 0.95]]) }, step: 1, direction: 'maximize', trials });
    expect(up).toEqual({ prune: false, reason: 'promoted to rung 1 (next check at step 4)', attrs: { completed_rung_0: 0.95 } });
  });

  it('none keeps everything', () => {
    expect(nonePruner().shouldPrune({ trial, step: 7, direction: 'maximize', trials: others })).toEqual({ prune: false, reason: 'pruning is off' });
  });
});

describe('bad input is refused with what to fix', () => {
  const ctx = { trial: { number: 0, intermediate: new Map([[0, 1]]) }, step: 0, direction: 'maximize' as const, trials: [] };
  it.each([
    [() => percentilePruner(101), 'percentilePruner: percentile must be between 0 and 100, got 101'],
    [() => medianPruner({ intervalSteps: 0 }), 'percentilePruner: intervalSteps must be an integer >= 1, got 0'],
    [() => medianPruner({ nWarmupSteps: NaN }), 'percentilePruner: nWarmupSteps must be an integer >= 0, got NaN'],
    [() => ashaPruner({ reductionFactor: 1 }), 'ashaPruner: reductionFactor must be an integer >= 2, got 1'],
    [() => ashaPruner({ minResource: 'soon' as 'auto' }), "ashaPruner: minResource must be an integer >= 1 or 'auto', got 'soon'"],
    [() => ashaPruner({ bootstrapCount: 2 }), "ashaPruner: bootstrapCount > 0 needs a fixed minResource (got 'auto'); set minResource to the steps of the first rung"],
    [() => createPruner('hyperband' as 'asha'), "pruner: unknown pruner 'hyperband'; use one of none, median, asha"],
    [() => medianPruner().shouldPrune({ ...ctx, step: 1.5 }), 'median pruner, trial 0: step must be a non-negative integer, got 1.5; report epochs or batches as 0, 1, 2, …'],
    [() => ashaPruner().shouldPrune({ ...ctx, step: 3 }), "asha pruner, trial 0: no value at step 3; record the step's value in the trial before asking"],
    [() => medianPruner().shouldPrune({ ...ctx, trial: { number: 0, intermediate: { 0: 1, x: 1 } as Record<number, number> }, trials: [1, 2, 3, 4, 5].map((n) => complete(n, [1])) }),
      "median pruner, trial 0: intermediate values have the key 'x', which is not a step; keys must be 0, 1, 2, …"],
    [() => medianPruner().shouldPrune({ ...ctx, trial: { number: 0, intermediate: { 0: null as unknown as number } } }),
      'median pruner, trial 0: the value at step 0 is null, not a number; store NaN and ±Infinity as numbers (JSON turns them into null)'],
  ])('%#: %s', (f, message) => {
    expect(f).toThrow(ValidationError);
    expect(f).toThrow(message);
  });
});

describe('createPruner', () => {
  it('builds each named pruner with Optuna\'s defaults', () => {
    expect(createPruner('none').description).toBe('none');
    expect(createPruner('median').description).toBe('median(nStartupTrials=5, nWarmupSteps=0, intervalSteps=1, nMinTrials=1)');
    expect(createPruner('asha').description).toBe("asha(minResource='auto', reductionFactor=4, minEarlyStoppingRate=0, bootstrapCount=0)");
    expect(createPruner({ kind: 'percentile', percentile: 25 }).description).toMatch(/^percentile\(25\)/);
  });
});

describe('k-fold curves: the mean over the folds that reached the step', () => {
  const f0 = new Map([[0, 0.5], [1, 0.7], [2, 0.8]]);
  const f1 = new Map([[0, 0.6], [1, 0.5]]);
  it('averages only the folds that reported the step; none → no value', () => {
    expect(foldMeanAt([f0, f1], 0)).toBeCloseTo(0.55, 15);
    expect(foldMeanAt([f0, f1], 1)).toBeCloseTo(0.6, 15);
    expect(foldMeanAt([f0, f1], 2)).toBe(0.8);
    expect(foldMeanAt([f0, f1], 3)).toBeUndefined();
    expect(foldMeanAt([undefined, f1, undefined], 1)).toBe(0.5);
    expect(foldMeanAt([], 0)).toBeUndefined();
  });
  it('a NaN from a fold that reached the step makes the mean NaN', () => {
    expect(foldMeanAt([f0, new Map([[2, NaN]])], 2)).toBeNaN();
  });
  it('builds the whole curve in step order', () => {
    expect([...foldMeanCurve([new Map([[2, 1], [0, 0]]), f1])]).toEqual([[0, 0.3], [1, 0.5], [2, 1]]);
  });
  it('the curve drives a pruner like any trial, judged at its newest step (as Optuna judges last_step)', () => {
    const trials = [0, 1, 2, 3, 4].map((n) => complete(n, [0.9, 0.9, 0.9]));
    const intermediate = foldMeanCurve([f0, f1]);
    expect(medianPruner().shouldPrune({ trial: { number: 5, intermediate }, step: 2, direction: 'maximize', trials }))
      .toEqual({ prune: true, reason: 'pruned at step 2: 0.8 < median 0.9 of 5 trial(s)' });
    // A late fold filling in an earlier step is not a new pruning step: the curve already went past it.
    expect(medianPruner().shouldPrune({ trial: { number: 5, intermediate }, step: 1, direction: 'maximize', trials }))
      .toEqual({ prune: false, reason: 'step 1 is not a pruning step (every 1 after 0)' });
  });
});
