/**
 * The seeded PRNG, the random sampler and the grid sampler: fixed sequences for a seed, Optuna 3.1's
 * transforms (test/fixtures/sweep/random-transform-golden.py → .json), draws that stay in bounds and
 * on their grid with the right means over 10,000 seeded draws, conditional params only with their
 * branch, and a grid that hands out each of its points exactly once, skipping running ones.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../core/errors.ts';
import { createPrng, deriveSeed, fmix32 } from '../../core/sweep/_prng.ts';
import { distributionContains, fromSamplingSpace, gridPointCount, samplingBounds } from '../../core/sweep/distribution.ts';
import { seededPermutation } from '../../core/sweep/samplers/_grid-order.ts';
import { gridPointAt, gridSampler, gridSize } from '../../core/sweep/samplers/grid.ts';
import { randomSampler } from '../../core/sweep/samplers/random.ts';
import { SpaceExhaustedError, type FinishedTrial, type RunningTrial, type Sampler } from '../../core/sweep/samplers/types.ts';
import { choice, float, int, type FloatDistribution, type IntDistribution, type Space, type TrialParams } from '../../core/sweep/space.ts';
import { activeParams, paramsKey } from '../../core/sweep/space-walk.ts';

const ask = (sampler: Sampler, space: Space, trialNumber: number, finished: FinishedTrial[] = [], running: RunningTrial[] = []): TrialParams =>
  sampler.sample({ space, direction: 'minimize', finished, running, trialNumber });

describe('the seeded PRNG', () => {
  it('gives the same numbers for a seed and stream on any machine', () => {
    const rng = createPrng(42);
    expect([rng.next(), rng.next(), rng.next(), rng.next()]).toEqual([0.9871273951720773, 0.6369698347318165, 0.16320628055150954, 0.23757086259626703]);
    expect(createPrng(42, 7).next()).toBe(0.017170612352588543);
    expect(createPrng(42, 'x').next()).toBe(0.530121218822106);
    expect([deriveSeed(42, 7), deriveSeed(0), fmix32(1)]).toEqual([2950558893, 3148071977, 1364076727]);
    // Seeds above 2^32 are not folded onto small ones.
    expect(deriveSeed(2 ** 32 + 5)).not.toBe(deriveSeed(5));
    expect(() => createPrng(1.5)).toThrow(RangeError);
  });

  it('draws uniform, integer and normal numbers with the right moments', () => {
    const rng = createPrng(3);
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const counts = [0, 0, 0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      counts[rng.int(5)]++;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.015);
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(Math.abs(sumN / 10_000)).toBeLessThan(0.05);
    expect(Math.abs(sumN2 / 10_000 - 1)).toBeLessThan(0.07);
  });
});

interface TransformGolden {
  optuna: string;
  cases: Array<{ label: string; distribution: IntDistribution | FloatDistribution; bounds: [number, number]; points: number[]; values: number[] }>;
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/sweep/random-transform-golden.json', import.meta.url), 'utf8')) as TransformGolden;

describe("Optuna 3.1's random-sampling transforms", () => {
  it.each(golden.cases.map((c) => [c.label, c] as const))('%s: the same bounds and the same value for every point', (_, c) => {
    const [low, high] = samplingBounds(c.distribution);
    expect(low).toBeCloseTo(c.bounds[0], 12);
    expect(high).toBeCloseTo(c.bounds[1], 12);
    const ours = c.points.map((x) => fromSamplingSpace(c.distribution, x));
    ours.forEach((v, i) => expect(Math.abs(v - c.values[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(c.values[i]))));
  });
});

const mixed: Space = {
  algorithm: choice({
    knn: { k: int(1, 9, { step: 2 }) },
    bayes: {},
    forest: { nEstimators: int(50, 500, { log: true }), maxFeatures: float(0.1, 1, { step: 0.1 }) },
  }),
  lr: float(1e-4, 1, { log: true }),
  act: choice(['relu', 'tanh']),
};

describe('the random sampler', () => {
  it('gives a fixed sequence for a seed, whatever order the trials are asked in', () => {
    const sampler = randomSampler({ seed: 7 });
    const first = [0, 1, 2, 3, 4, 5].map((t) => ask(sampler, mixed, t));
    expect(first).toEqual([
      { act: 'relu', algorithm: 'bayes', lr: 0.20690989702568555 },
      { act: 'tanh', algorithm: 'knn', 'knn.k': 1, lr: 0.03729578005358529 },
      { act: 'tanh', algorithm: 'bayes', lr: 0.0001477495462522125 },
      { act: 'tanh', algorithm: 'knn', 'knn.k': 1, lr: 0.001156520718474644 },
      { act: 'tanh', algorithm: 'bayes', lr: 0.31357255774070486 },
      { act: 'relu', algorithm: 'bayes', lr: 0.11827059112182839 },
    ]);
    // Parallel asks in another order, with history: each trial's params depend on (seed, number) only.
    const again = randomSampler({ seed: 7 });
    expect(ask(again, mixed, 4, [{ number: 0, params: first[0], value: 1, state: 'complete' }], [{ number: 1, params: first[1] }])).toEqual(first[4]);
    expect(ask(again, mixed, 0)).toEqual(first[0]);
    expect(ask(randomSampler({ seed: 8 }), mixed, 0)).not.toEqual(first[0]);
    expect(() => randomSampler({ seed: 0.5 })).toThrow(ValidationError);
  });

  it('keeps every draw in bounds and on its grid, with the right means, over 10,000 trials', () => {
    const space: Space = {
      i: int(0, 10),
      istep: int(-3, 12, { step: 3 }),
      ilog: int(1, 1000, { log: true }),
      f: float(-1, 2),
      flog: float(1e-3, 1e3, { log: true }),
      fstep: float(0.1, 1, { step: 0.1 }),
      c: choice(['a', 'b', 'c', null]),
    };
    const sampler = randomSampler({ seed: 11 });
    const sums: Record<string, number> = { i: 0, istep: 0, ilog: 0, f: 0, flog: 0 };
    const counts = new Map<string, number>();
    const n = 10_000;
    // Counted, not expect()ed in the loop: 70,000 expect calls would cost seconds.
    const outside: string[] = [];
    for (let t = 0; t < n; t++) {
      const p = ask(sampler, space, t);
      for (const [name, d] of Object.entries(space)) if (!distributionContains(d, p[name])) outside.push(`${name}=${p[name]}`);
      if (!((p.f as number) < 2 && (p.flog as number) < 1e3)) outside.push(`high reached: ${p.f}, ${p.flog}`);
      sums.i += p.i as number;
      sums.istep += p.istep as number;
      sums.ilog += p.ilog as number;
      sums.f += p.f as number;
      sums.flog += Math.log10(p.flog as number);
      for (const key of [`fstep=${p.fstep}`, `c=${p.c}`]) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(outside).toEqual([]);
    expect(Math.abs(sums.i / n - 5)).toBeLessThan(0.15);
    expect(Math.abs(sums.istep / n - 4.5)).toBeLessThan(0.25);
    // A log int takes k with probability ln((k + ½) / (k − ½)) / ln(1000.5 / 0.5), as in Optuna.
    let logMean = 0;
    for (let k = 1; k <= 1000; k++) logMean += (k * Math.log((k + 0.5) / (k - 0.5))) / Math.log(1000.5 / 0.5);
    expect(Math.abs(sums.ilog / n - logMean) / logMean).toBeLessThan(0.05);
    expect(Math.abs(sums.f / n - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(sums.flog / n)).toBeLessThan(0.1);
    // Every step value and every choice equally likely, ends included.
    for (const v of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]) expect(Math.abs((counts.get(`fstep=${v}`) ?? 0) - 1000)).toBeLessThan(150);
    for (const v of ['a', 'b', 'c', 'null']) expect(Math.abs((counts.get(`c=${v}`) ?? 0) - 2500)).toBeLessThan(250);
  });

  it('gives a branch its params only when it is chosen', () => {
    const sampler = randomSampler({ seed: 5 });
    const seen = new Map<string, number>();
    const wrong: string[] = [];
    for (let t = 0; t < 3000; t++) {
      const p = ask(sampler, mixed, t);
      const keys = Object.keys(p).sort().join(',');
      if (keys !== activeParams(mixed, p).map((a) => a.name).sort().join(',')) wrong.push(keys);
      seen.set(p.algorithm as string, (seen.get(p.algorithm as string) ?? 0) + 1);
    }
    expect(wrong).toEqual([]);
    const some = Array.from({ length: 20 }, (_, t) => ask(sampler, mixed, t));
    const keysOf = (b: string): string[] => Object.keys(some.find((p) => p.algorithm === b)!).sort();
    expect(keysOf('forest')).toEqual(['act', 'algorithm', 'forest.maxFeatures', 'forest.nEstimators', 'lr']);
    expect(keysOf('knn')).toEqual(['act', 'algorithm', 'knn.k', 'lr']);
    expect(keysOf('bayes')).toEqual(['act', 'algorithm', 'lr']);
    for (const b of ['knn', 'bayes', 'forest']) expect(Math.abs((seen.get(b) ?? 0) - 1000)).toBeLessThan(150);
  });

  it('returns the value of a single-point range', () => {
    expect(ask(randomSampler(), { a: float(2, 2), b: int(3, 3), c: float(1, 1, { log: true }) }, 0)).toEqual({ a: 2, b: 3, c: 1 });
  });
});

const small: Space = { algorithm: choice({ knn: { k: int(1, 5, { step: 2 }) }, bayes: {} }), scale: choice([true, false]) };

/** Runs a grid study to exhaustion, one trial at a time; returns the params in trial order. */
function runGrid(sampler: Sampler, space: Space): TrialParams[] {
  const finished: FinishedTrial[] = [];
  for (let t = 0; ; t++) {
    try {
      finished.push({ number: t, params: ask(sampler, space, t, finished), value: t, state: 'complete' });
    } catch (e) {
      expect(e).toBeInstanceOf(SpaceExhaustedError);
      return finished.map((f) => f.params);
    }
  }
}

describe('the grid sampler', () => {
  it('counts the grid: branches summed, params multiplied, stepped floats included', () => {
    expect(gridSize(small)).toBe((3 + 1) * 2);
    expect(gridSize({})).toBe(1);
    expect(gridSize({ x: float(0.1, 1, { step: 0.1 }), y: int(1, 1000, { log: true }) })).toBe(10 * 1000);
    expect(gridPointCount({ ...float(0, 0.3), step: 0.1 })).toBe(4);
    expect(gridPointAt({ x: int(1, 2), y: choice(['a', 'b']) }, 1)).toEqual({ x: 1, y: 'b' });
    expect(() => gridSize({ a: choice({ x: { lr: float(0, 1) } }) })).toThrow(
      new ValidationError("grid sampler: space 'x.lr' is float(0, 1), which has no grid; give it a step, float(0, 1, { step: … }), or list the values with choice([…])"),
    );
    expect(() => gridSize({ c: float(1e-3, 1, { log: true }) })).toThrow("a log range cannot have a step");
    expect(() => gridSize({ a: int(0, 2 ** 40), b: int(0, 2 ** 20) })).toThrow('more than 2^53 points');
  });

  it('hands out every point exactly once in a seeded order, then says the grid is exhausted', () => {
    const order = runGrid(gridSampler({ seed: 0 }), small);
    expect(order).toEqual([
      { algorithm: 'knn', 'knn.k': 3, scale: true },
      { algorithm: 'knn', 'knn.k': 3, scale: false },
      { algorithm: 'bayes', scale: false },
      { algorithm: 'knn', 'knn.k': 1, scale: false },
      { algorithm: 'knn', 'knn.k': 1, scale: true },
      { algorithm: 'bayes', scale: true },
      { algorithm: 'knn', 'knn.k': 5, scale: false },
      { algorithm: 'knn', 'knn.k': 5, scale: true },
    ]);
    expect(runGrid(gridSampler({ seed: 0 }), small)).toEqual(order);
    expect(runGrid(gridSampler({ seed: 1 }), small)).not.toEqual(order);

    const space: Space = { a: choice({ x: { n: int(1, 7, { step: 3 }), f: float(0, 1, { step: 0.25 }) }, y: { m: choice([1, 2]) }, z: {} }), b: choice(['p', 'q', 'r']) };
    const all = runGrid(gridSampler({ seed: 9 }), space);
    expect(all).toHaveLength(gridSize(space));
    expect(gridSize(space)).toBe((3 * 5 + 2 + 1) * 3);
    expect(new Set(all.map(paramsKey)).size).toBe(all.length);
    const listed = Array.from({ length: gridSize(space) }, (_, i) => paramsKey(gridPointAt(space, i)));
    expect(new Set(all.map(paramsKey))).toEqual(new Set(listed));
    for (const p of all) expect(Object.keys(p).sort()).toEqual(activeParams(space, p).map((a) => a.name).sort());
  });

  it('skips points held by running, failed and pruned trials, and does not depend on trial numbers', () => {
    const sampler = gridSampler({ seed: 0 });
    const order = runGrid(gridSampler({ seed: 0 }), small);
    const running: RunningTrial[] = [{ number: 5, params: order[0] }];
    const finished: FinishedTrial[] = [
      { number: 3, params: order[1], value: null, state: 'failed' },
      { number: 4, params: order[2], value: 0.5, state: 'pruned' },
    ];
    expect(ask(sampler, small, 6, finished, running)).toEqual(order[3]);
    expect(ask(sampler, small, 99, finished, running)).toEqual(order[3]);
    // Every point taken, some still running: exhausted (the study loop waits for the running ones).
    const taken = order.map((params, number) => ({ number, params }));
    expect(() => ask(sampler, small, 8, [], taken)).toThrow(SpaceExhaustedError);
    expect(() => ask(sampler, small, 8, [], taken)).toThrow('grid sampler: all 8 points of the grid are finished or running (trial 8); the study is complete');
  });

  it('samples a huge grid without listing it', () => {
    const space: Space = { a: int(0, 10 ** 9), b: float(0, 1000, { step: 0.001 }) };
    const sampler = gridSampler({ seed: 4 });
    const finished: FinishedTrial[] = [];
    for (let t = 0; t < 50; t++) finished.push({ number: t, params: ask(sampler, space, t, finished), value: 0, state: 'complete' });
    expect(new Set(finished.map((f) => paramsKey(f.params))).size).toBe(50);
    for (const f of finished) expect(distributionContains(space.b, f.params.b) && distributionContains(space.a, f.params.a)).toBe(true);
  });

  it('orders indices by a seeded bijection of 0..n-1 for any n', () => {
    for (const n of [1, 2, 3, 5, 16, 17, 100, 257]) {
      for (const seed of [0, 1, 123456]) {
        const at = seededPermutation(n, seed);
        const seen = Array.from({ length: n }, (_, i) => at(i)).sort((x, y) => x - y);
        expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });
});
