/**
 * Part 1 of `npm run bench:sweep`: sampler quality. For each function and seed, a sequential
 * 100-trial study with mlcycle's TPE and, in a Python child (sweep-peer.py) running meanwhile,
 * Optuna 3.1's TPE and RandomSampler; the figure is the median over seeds of the best-so-far regret
 * after 25, 50 and 100 trials.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FinishedTrial, Sampler } from '../../core/sweep/samplers/types.ts';
import { tpeSampler } from '../../core/sweep/samplers/tpe.ts';
import { FUNCTIONS, type BenchFunction } from './sweep-functions.ts';

export const PYTHON = '/usr/bin/python3';
export const PEER = fileURLToPath(new URL('./sweep-peer.py', import.meta.url));
export const CHECKPOINTS = [25, 50, 100] as const;

/**
 * Runs sweep-peer.py asynchronously (so both sides' studies overlap) and parses its JSON.
 * @example
 * await peer<{ seconds: number[] }>(['cost', 'branin', '100', '20'])
 */
export function peer<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [PEER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`sweep-peer.py ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(out) as T);
    });
  });
}

/**
 * Best-so-far regret after each trial of one sequential study.
 * @example
 * regretCurve(tpeSampler({ seed: 0 }), FUNCTIONS[0], 100)[49] // regret after 50 trials
 */
export function regretCurve(sampler: Sampler, fn: BenchFunction, trials: number): number[] {
  const finished: FinishedTrial[] = [];
  const curve: number[] = [];
  let best = Infinity;
  for (let number = 0; number < trials; number++) {
    const params = sampler.sample({ space: fn.space, direction: 'minimize', finished, running: [], trialNumber: number });
    const value = fn.f(params);
    finished.push({ number, params, value, state: 'complete' });
    best = Math.min(best, value);
    curve.push(best - fn.optimum);
  }
  return curve;
}

/**
 * The median (mean of the middle two for an even count).
 * @example
 * median([3, 1, 2]) // 2
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Side → median regret at each checkpoint. */
export type QualityRow = { fn: string; side: string; regret: number[]; curves: number[][] };

/**
 * Part 1: every function, `seeds` studies per sampler.
 * @example
 * const rows = await measureQuality(10, 100);
 */
export async function measureQuality(seeds: number, trials: number, only?: string[]): Promise<QualityRow[]> {
  const fns = FUNCTIONS.filter((f) => !only || only.includes(f.name));
  // One Python child per function, all started now: they run while the JS side does its own studies.
  const peers = fns.map((fn) => () => peer<Record<string, number[][]>>(['quality', fn.name, String(seeds), String(trials)]));
  const pending = peers.map((start) => start());
  const rows: QualityRow[] = [];
  for (const fn of fns) {
    const curves = Array.from({ length: seeds }, (_, seed) => regretCurve(tpeSampler({ seed }), fn, trials));
    rows.push(summarise(fn.name, 'mlcycle-tpe', curves));
  }
  const results = await Promise.all(pending);
  results.forEach((res, i) => {
    for (const side of ['optuna-tpe', 'optuna-random']) rows.push(summarise(fns[i].name, side, res[side]));
  });
  return rows;
}

function summarise(fn: string, side: string, curves: number[][]): QualityRow {
  return { fn, side, curves, regret: CHECKPOINTS.map((c) => median(curves.map((curve) => curve[Math.min(c, curve.length) - 1]))) };
}

/**
 * Mann–Whitney comparison of two samples of regrets: `auc` = P(a < b) (+ half the ties), and the
 * one-sided z of "a is worse than b" (normal approximation, fine from 8 per side).
 * @example
 * rankCompare([1, 2], [3, 4]) // { auc: 1, zWorse: -1.55 }
 */
export function rankCompare(a: readonly number[], b: readonly number[]): { auc: number; zWorse: number } {
  let u = 0;
  for (const x of a) for (const y of b) u += x < y ? 1 : x === y ? 0.5 : 0;
  const n = a.length * b.length;
  const sd = Math.sqrt((n * (a.length + b.length + 1)) / 12);
  return { auc: u / n, zWorse: (n / 2 - u) / sd };
}
