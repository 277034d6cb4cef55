/**
 * Grid search: every combination of choice values, int values and stepped float values, with
 * conditional branches expanded (a branch contributes the grid of its own params, so
 * `choice({ a: { x: int(1, 3) }, b: {} })` has 3 + 1 points). As Optuna's GridSampler does, trials
 * take the points in a seeded random order, skipping points held by finished or running trials;
 * when none is left, `sample` throws SpaceExhaustedError. The grid is never listed: a point is
 * decoded from its index, so huge grids cost nothing until sampled.
 */
import { ValidationError } from '../../errors.ts';
import { gridPoint, gridPointCount } from '../distribution.ts';
import type { ChoiceValue, Space, TrialParams } from '../space.ts';
import { describeDistribution, paramsKey } from '../space-walk.ts';
import { seededPermutation } from './_grid-order.ts';
import { SpaceExhaustedError, type Sampler } from './types.ts';

/** One level of a space (the top, or one branch) as a mixed-radix number. */
interface LevelGrid {
  params: ParamGrid[];
  size: number;
}

type ParamGrid =
  | { name: string; kind: 'values'; size: number; valueAt: (k: number) => ChoiceValue }
  | { name: string; kind: 'branch'; size: number; branches: { name: string; grid: LevelGrid }[] };

function times(a: number, b: number, where: string): number {
  const n = a * b;
  if (!Number.isSafeInteger(n)) {
    throw new ValidationError(`grid sampler: the grid of ${where} has more than 2^53 points; use the random or tpe sampler`);
  }
  return n;
}

function compileLevel(space: Space, prefix: string): LevelGrid {
  const params: ParamGrid[] = [];
  let size = 1;
  for (const key of Object.keys(space).sort()) {
    const name = prefix + key;
    const d = space[key];
    let param: ParamGrid;
    if (d.kind === 'choice') {
      param = { name, kind: 'values', size: d.choices.length, valueAt: (k) => d.choices[k] };
    } else if (d.kind === 'branch') {
      const branches = Object.keys(d.branches).map((b) => ({ name: b, grid: compileLevel(d.branches[b], `${prefix}${b}.`) }));
      let total = 0;
      for (const b of branches) total += b.grid.size;
      param = { name, kind: 'branch', size: total, branches };
    } else if (d.kind === 'int' || d.step !== null) {
      const stepped = d.kind === 'int' ? d : { ...d, step: d.step as number };
      param = { name, kind: 'values', size: gridPointCount(stepped), valueAt: (k) => gridPoint(stepped, k) };
    } else {
      const fix = d.log ? 'list the values with choice([…]) (a log range cannot have a step)' : `give it a step, float(${d.low}, ${d.high}, { step: … }), or list the values with choice([…])`;
      throw new ValidationError(`grid sampler: space '${name}' is ${describeDistribution(d)}, which has no grid; ${fix}`);
    }
    if (!Number.isSafeInteger(param.size)) throw new ValidationError(`grid sampler: space '${name}' has more than 2^53 points; use the random or tpe sampler`);
    size = times(size, param.size, `'${name}'`);
    params.push(param);
  }
  return { params, size };
}

function decode(level: LevelGrid, index: number, out: TrialParams): void {
  // Digits first (the last param varies fastest, as in itertools.product), then values in walk
  // order, so a point's keys read in the same order as the random sampler's.
  const digits = new Array<number>(level.params.length);
  for (let i = level.params.length - 1; i >= 0; i--) {
    digits[i] = index % level.params[i].size;
    index = Math.floor(index / level.params[i].size);
  }
  level.params.forEach((p, i) => {
    if (p.kind === 'values') {
      out[p.name] = p.valueAt(digits[i]);
      return;
    }
    let offset = digits[i];
    for (const b of p.branches) {
      if (offset < b.grid.size) {
        out[p.name] = b.name;
        decode(b.grid, offset, out);
        return;
      }
      offset -= b.grid.size;
    }
  });
}

/**
 * The number of points of the space's grid (conditional branches summed, params multiplied).
 * Throws a ValidationError naming the param when a float has no step, or when the grid passes 2^53.
 * @example
 * gridSize({ algorithm: choice({ knn: { k: int(1, 9, { step: 2 }) }, bayes: {} }), scale: choice([true, false]) }) // (5 + 1) × 2 = 12
 */
export function gridSize(space: Space): number {
  return compileLevel(space, '').size;
}

/**
 * The i-th point (0 ≤ i < gridSize) of the space's grid, in enumeration order (the last param
 * varying fastest). For tests, reports and tools that list a small grid.
 * @example
 * gridPointAt({ x: int(1, 2), y: choice(['a', 'b']) }, 1) // { x: 1, y: 'b' }
 */
export function gridPointAt(space: Space, i: number): TrialParams {
  const grid = compileLevel(space, '');
  if (!Number.isSafeInteger(i) || i < 0 || i >= grid.size) throw new RangeError(`gridPointAt: index ${i} is outside 0..${grid.size - 1}`);
  const out: TrialParams = {};
  decode(grid, i, out);
  return out;
}

export interface GridSamplerOptions {
  /** Seeds the order the points are visited in. Default 0. */
  seed?: number;
}

/**
 * A grid sampler. Each trial gets the first point, in the seeded order, that no finished (complete,
 * pruned or failed) or running trial holds; so trial numbers and parallel ask order do not matter,
 * only which points are taken. Throws SpaceExhaustedError when every point is taken.
 * @example
 * const sampler = gridSampler({ seed: 0 });
 * const n = gridSize(space); // validate the grid up front, and use n as the trial count
 */
export function gridSampler(options: GridSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValidationError(`grid sampler: seed must be an integer, got ${seed}`);
  // Per space: the compiled grid, its order, and the points decoded so far in that order (a study
  // rescans from the start at every ask; decoding once keeps a 1,000-trial scan to map lookups).
  const compiled = new WeakMap<Space, { grid: LevelGrid; order: (i: number) => number; decoded: { params: TrialParams; key: string }[] }>();
  return {
    name: 'grid',
    sample(ctx) {
      let entry = compiled.get(ctx.space);
      if (!entry) {
        const grid = compileLevel(ctx.space, '');
        entry = { grid, order: seededPermutation(Math.max(grid.size, 1), seed), decoded: [] };
        compiled.set(ctx.space, entry);
      }
      const taken = new Set<string>();
      for (const t of ctx.finished) taken.add(paramsKey(t.params));
      for (const t of ctx.running) taken.add(paramsKey(t.params));
      // Each taken point is skipped at most once, so this stops within taken.size + 1 steps.
      for (let i = 0; i < entry.grid.size; i++) {
        let point = entry.decoded[i];
        if (!point) {
          const params: TrialParams = {};
          decode(entry.grid, entry.order(i), params);
          point = entry.decoded[i] = { params, key: paramsKey(params) };
        }
        if (!taken.has(point.key)) return { ...point.params };
      }
      throw new SpaceExhaustedError(
        `grid sampler: all ${entry.grid.size} points of the grid are finished or running (trial ${ctx.trialNumber}); the study is complete`,
      );
    },
  };
}
