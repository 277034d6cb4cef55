/**
 * Numeric facts about one distribution that every sampler shares: its grid (an int, or a float with
 * a `step`), snapping a continuous draw onto that grid the way Optuna 3.1 untransforms a sample
 * (`optuna/_transform.py`: round half to even, clip to [low, high]), and whether a value belongs.
 */
import type { ChoiceValue, Distribution, FloatDistribution, IntDistribution } from './space.ts';

/** An int, or a float with a step: a distribution with finitely many evenly spaced values. */
export type SteppedDistribution = IntDistribution | (FloatDistribution & { step: number });

/**
 * Whether `d` has a finite grid of values (every int; a float only with a `step`).
 * @example
 * isStepped(float(0, 1, { step: 0.25 })) // true
 */
export function isStepped(d: Distribution): d is SteppedDistribution {
  return d.kind === 'int' || (d.kind === 'float' && d.step !== null);
}

/**
 * The number of values on a stepped distribution's grid: low, low + step, …, up to high.
 * @example
 * gridPointCount(float(0.1, 1, { step: 0.1 })) // 10, despite (1 - 0.1) / 0.1 = 9.000000000000002
 */
export function gridPointCount(d: SteppedDistribution): number {
  const r = (d.high - d.low) / d.step;
  if (!Number.isFinite(r) || r < 0) return 0;
  // Float division lands a hair below an integer as often as above (0.3 / 0.1 = 2.9999999999999996).
  return Math.floor(r + 1e-9 * Math.max(1, r)) + 1;
}

/**
 * The k-th value of a stepped distribution's grid (k from 0). Floats are rounded to 15 significant
 * digits, so `float(0, 1, { step: 0.1 })` gives 0.3, not 0.30000000000000004: the same number the
 * user would type, and one canonical double per point for duplicate detection.
 * @example
 * gridPoint(float(0, 1, { step: 0.1 }), 3) // 0.3
 */
export function gridPoint(d: SteppedDistribution, k: number): number {
  const x = d.low + k * d.step;
  if (d.kind === 'int') return x;
  return Math.min(Math.max(Number(x.toPrecision(15)), d.low), d.high);
}

/**
 * Rounds half to even, as numpy.round does (Math.round rounds half up).
 * @example
 * roundHalfEven(2.5) // 2
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The grid value nearest to `x` (ties to even), clipped to the distribution: how a draw from
 * [low − step/2, high + step/2] becomes an evenly likely grid point.
 * @example
 * snapToGrid(int(0, 10, { step: 2 }), 4.9) // 4
 */
export function snapToGrid(d: SteppedDistribution, x: number): number {
  const n = gridPointCount(d);
  const k = Math.min(Math.max(roundHalfEven((x - d.low) / d.step), 0), n - 1);
  return gridPoint(d, k);
}

/**
 * The interval a sampler draws a numeric param from, as Optuna's `_SearchSpaceTransform` builds
 * it: ln-scale for log ranges, widened by half a step on each side for ints and stepped floats (so
 * the end points are as likely as the inner ones once rounded). `fromSamplingSpace` maps back.
 * @example
 * samplingBounds(int(1, 100, { log: true })) // [ln 0.5, ln 100.5]
 */
export function samplingBounds(d: IntDistribution | FloatDistribution): [number, number] {
  if (d.kind === 'int') {
    const half = d.step / 2;
    return d.log ? [Math.log(d.low - half), Math.log(d.high + half)] : [d.low - half, d.high + half];
  }
  if (d.log) return [Math.log(d.low), Math.log(d.high)];
  return d.step === null ? [d.low, d.high] : [d.low - d.step / 2, d.high + d.step / 2];
}

/**
 * A point of the sampling interval back to a value of `d`, as Optuna's
 * `_untransform_numerical_param`: exp for log ranges, rounding onto the grid for ints and stepped
 * floats, continuous floats kept strictly below high (and, unlike Optuna, not below low: exp∘ln can
 * lose an ulp).
 * @example
 * fromSamplingSpace(int(1, 100, { log: true }), Math.log(7.4)) // 7
 */
export function fromSamplingSpace(d: IntDistribution | FloatDistribution, x: number): number {
  if (d.kind === 'int') {
    if (d.log) return Math.min(Math.max(roundHalfEven(Math.exp(x)), d.low), d.high);
    return snapToGrid(d, x);
  }
  if (d.step !== null) return snapToGrid({ ...d, step: d.step }, x);
  if (d.low === d.high) return d.low;
  const v = d.log ? Math.exp(x) : x;
  return Math.min(Math.max(v, d.low), nextDown(d.high));
}

/**
 * The largest double below `x` (for finite x): Optuna keeps a continuous draw strictly below `high`.
 * @example
 * nextDown(1) // 0.9999999999999999
 */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/**
 * Whether `value` is a value `d` can produce (a grid point for stepped distributions, within 1e-8
 * of a step as Optuna's `_contains`; for a branch, one of its names).
 * @example
 * distributionContains(int(1, 9, { step: 2 }), 4) // false
 */
export function distributionContains(d: Distribution, value: unknown): boolean {
  switch (d.kind) {
    case 'choice':
      return d.choices.some((c) => sameChoice(c, value));
    case 'branch':
      return typeof value === 'string' && Object.hasOwn(d.branches, value);
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < d.low || value > d.high) return false;
      return (value - d.low) % d.step === 0;
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < d.low || value > d.high) return false;
      if (d.step === null) return true;
      const k = (value - d.low) / d.step;
      return Math.abs(k - Math.round(k)) < 1e-8;
    }
  }
}

/**
 * A value as it reads in a message: strings quoted, numbers as written, arrays as JSON.
 * @example
 * showValue('relu') // "'relu'"
 * showValue([64, 32]) // '[64,32]'
 */
export function showValue(v: ChoiceValue | undefined): string {
  if (Array.isArray(v)) return JSON.stringify(v);
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/**
 * Whether two choice values are the same choice: scalars by identity (NaN never occurs, -0 is 0), arrays
 * by content, so a value read back from JSON (a stored trial) matches its choice.
 * @example
 * sameChoice([64, 32], [64, 32]) // true
 */
export function sameChoice(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
