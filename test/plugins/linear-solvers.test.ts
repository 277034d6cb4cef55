import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CancelledError, DataError } from '../../core/index.ts';
import { dense, type Dense } from '../../plugins/algorithms/_dense.ts';
import { minimizeLbfgs } from '../../plugins/algorithms/_lbfgs.ts';
import { columnStats, gram, minNormSolve } from '../../plugins/algorithms/_linalg.ts';
import { fitLogistic, predictLogistic } from '../../plugins/algorithms/_logistic-fit.ts';
import { prng } from '../../plugins/algorithms/_prng.ts';
import { fitRidge, predictLinear } from '../../plugins/algorithms/_ridge.ts';

// Written by test/bench/sklearn/linear-golden.py (scikit-learn 1.2.1).
interface RegFit { model: string; alpha: number; fitIntercept: boolean; coef: number[]; intercept: number; predict: number[] }
interface Ref { coef: number[]; intercept: number[]; proba: number[]; maxGradient: number }
// `optimum`: newton-cg, converged to a tiny gradient; `lbfgs`: lbfgs with tol=1e-10, which scipy's
// relative-decrease test stops up to `lbfgsGap` (≈1e-4) short of the optimum on harder sets.
interface ClsFit { model: string; C: number | null; fitIntercept: boolean; optimum: Ref; lbfgs: Ref; lbfgsGap: number }
interface Set<F> { name: string; rows: number; cols: number; k?: number; x: number[]; y: number[]; fits: F[] }
const golden = JSON.parse(readFileSync(new URL('../fixtures/linear-golden.json', import.meta.url), 'utf8')) as {
  regression: Array<Set<RegFit>>;
  classification: Array<Set<ClsFit>>;
};
const SHOW = 8;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
const head = (x: Dense, rows: number): Dense => dense(rows, x.cols, x.data.slice(0, rows * x.cols));

describe('fitRidge matches scikit-learn LinearRegression / Ridge', () => {
  const cases = golden.regression.flatMap((s) => s.fits.map((f) => [s.name, f.model, s, f] as const));
  it.each(cases)('%s: %s', (_, __, s, f) => {
    const x = dense(s.rows, s.cols, Float64Array.from(s.x));
    const fit = fitRidge(x, Float64Array.from(s.y), { alpha: f.alpha, fitIntercept: f.fitIntercept });
    expect(maxDiff(fit.coef, f.coef)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(fit.intercept - f.intercept)).toBeLessThanOrEqual(1e-6);
    expect(maxDiff(predictLinear(fit.coef, fit.intercept, head(x, SHOW)), f.predict)).toBeLessThanOrEqual(1e-6);
  });

  it('reports the rank of the collinear design: duplicate, one dummy and the constant column dropped', () => {
    const s = golden.regression.find((r) => r.name === 'collinear')!;
    const fit = fitRidge(dense(s.rows, s.cols, Float64Array.from(s.x)), Float64Array.from(s.y), { alpha: 0 });
    expect(fit.rank).toBe(s.cols - 3);
    expect(fit.coef[s.cols - 1]).toBe(0);
  });
});

describe('fitLogistic matches scikit-learn LogisticRegression', () => {
  const cases = golden.classification.flatMap((s) => s.fits.map((f) => [s.name, f.model, s, f] as const));
  it.each(cases)('%s: %s', (_, __, s, f) => {
    const x = dense(s.rows, s.cols, Float64Array.from(s.x));
    const fit = fitLogistic(x, Int32Array.from(s.y), s.k!, { C: f.C, fitIntercept: f.fitIntercept });
    expect(fit.converged).toBe(true);
    expect(maxDiff(fit.coef, f.optimum.coef)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(fit.intercept, f.optimum.intercept)).toBeLessThanOrEqual(1e-5);
    const proba = predictLogistic(fit, head(x, SHOW));
    expect(proba.cols).toBe(s.k);
    expect(maxDiff(proba.data, f.optimum.proba)).toBeLessThanOrEqual(1e-6);
    // scikit-learn's own lbfgs answer: within 1e-4, or within its recorded distance from the optimum.
    expect(maxDiff(fit.coef, f.lbfgs.coef)).toBeLessThanOrEqual(Math.max(1e-4, f.lbfgsGap + 1e-5));
    expect(maxDiff(proba.data, f.lbfgs.proba)).toBeLessThanOrEqual(Math.max(1e-5, f.lbfgsGap));
  });
});

describe('edge cases', () => {
  const rand = prng(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  it('OLS on duplicated and constant columns gives the minimum-norm solution, never NaN', () => {
    const n = 50;
    const x = dense(n, 4);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = normal(), b = normal();
      x.data.set([a, a, 0.1, b], i * 4); // column 2 is constant, with a value whose mean is not exact in binary
      y[i] = 2 * a - b + 3;
    }
    const fit = fitRidge(x, y, { alpha: 0 });
    expect(maxDiff(fit.coef, [1, 1, 0, -1])).toBeLessThan(1e-10);
    expect(fit.intercept).toBeCloseTo(3, 10);
    expect(fit.rank).toBe(2);
  });

  it('gram: the zero-skipping and blocked paths both give the weighted, centred XᵀX and Xᵀy', () => {
    for (const density of [0.1, 1]) { // 0.1 takes the sparse row loop, 1 the blocked tiles
      const n = 600, d = 5;
      const x = dense(n, d);
      for (let p = 0; p < n * d; p++) x.data[p] = rand() < density ? 100 + normal() : 0;
      const y = Float64Array.from({ length: n }, normal);
      const w = Float64Array.from({ length: n }, () => rand() * 2);
      const { mean } = columnStats(x, w);
      const g = gram(x, { center: mean, weights: w, y, yMean: 0.5 });
      for (let a = 0; a < d; a++) {
        let sy = 0;
        for (let i = 0; i < n; i++) sy += w[i] * (x.data[i * d + a] - mean[a]) * (y[i] - 0.5);
        expect(Math.abs(g.xty[a] - sy)).toBeLessThan(1e-9 * (1 + Math.abs(sy)));
        for (let b = 0; b < d; b++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += w[i] * (x.data[i * d + a] - mean[a]) * (x.data[i * d + b] - mean[b]);
          expect(Math.abs(g.gram[a * d + b] - s)).toBeLessThan(1e-9 * Math.abs(s));
        }
      }
    }
  });

  it('minNormSolve returns the pseudo-inverse solution of a singular system', () => {
    // G = vvᵀ with v = (1, 2): G w = b has solutions w₁ + 2w₂ = 1 (b = v); the shortest is v/5.
    const { w, rank } = minNormSolve(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 2), 2);
    expect(rank).toBe(1);
    expect(maxDiff(w, [0.2, 0.4])).toBeLessThan(1e-14);
  });

  it('refuses NaN features and mismatched lengths with a DataError', () => {
    const x = dense(2, 1, Float64Array.of(1, NaN));
    expect(() => fitRidge(x, Float64Array.of(1, 2), { alpha: 0 })).toThrow(DataError);
    expect(() => fitLogistic(x, Int32Array.of(0, 1), 2, { C: 1 })).toThrow(/row 1 column 0 is NaN/);
    expect(() => fitRidge(dense(2, 1, Float64Array.of(1, 2)), Float64Array.of(1), { alpha: 0 })).toThrow(DataError);
    expect(() => fitLogistic(dense(2, 1, Float64Array.of(1, 2)), Int32Array.of(0, 2), 2, { C: 1 })).toThrow(DataError);
  });

  it('separable data without a penalty stops with finite coefficients that classify every row', () => {
    const n = 40;
    const x = dense(n, 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      x.data.set([(y[i] ? 1 : -1) * (0.5 + rand()), normal()], i * 2);
    }
    for (const k of [2, 3]) {
      const yk = k === 2 ? y : Int32Array.from(y, (v, i) => (v === 1 ? 1 + (i % 4 === 1 ? 1 : 0) : 0));
      if (k === 3) for (let i = 0; i < n; i++) if (yk[i] === 2) x.data[i * 2 + 1] = 5 + rand();
      const fit = fitLogistic(x, yk, k, { C: null, maxIter: 300 });
      expect([...fit.coef, ...fit.intercept].every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(fit.loss)).toBe(true);
      expect(fit.iterations).toBeLessThanOrEqual(300);
      const proba = predictLogistic(fit, x);
      for (let i = 0; i < n; i++) {
        const row = Array.from(proba.data.subarray(i * k, (i + 1) * k));
        expect(row.every(Number.isFinite)).toBe(true);
        expect(row.indexOf(Math.max(...row))).toBe(yk[i]);
      }
    }
  });

  it('reports converged: false instead of throwing when maxIter is hit', () => {
    const s = golden.classification.find((c) => c.name === 'wide4')!;
    const fit = fitLogistic(dense(s.rows, s.cols, Float64Array.from(s.x)), Int32Array.from(s.y), s.k!, { C: 1, maxIter: 3 });
    expect(fit).toMatchObject({ converged: false, iterations: 3 });
  });

  it('throws CancelledError when the signal is aborted during training', () => {
    const s = golden.classification.find((c) => c.name === 'multiclass')!;
    const ac = new AbortController();
    const seen: number[] = [];
    const run = () => fitLogistic(dense(s.rows, s.cols, Float64Array.from(s.x)), Int32Array.from(s.y), s.k!, {
      C: 1, signal: ac.signal, onIteration: (it) => { seen.push(it); if (it === 2) ac.abort(); },
    });
    expect(run).toThrow(CancelledError);
    expect(seen).toEqual([1, 2]);
  });

  it('minimizeLbfgs finds the minimum of the Rosenbrock function', () => {
    const r = minimizeLbfgs((x, g) => {
      const [a, b] = x;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.of(-1.2, 1), { gtol: 1e-10, maxIter: 500 });
    expect(r.converged).toBe(true);
    expect(maxDiff(r.x, [1, 1])).toBeLessThan(1e-8);
  });
});
