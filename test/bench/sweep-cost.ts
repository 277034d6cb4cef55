/**
 * Part 2 of `npm run bench:sweep`: sampler cost per trial. A study pre-filled with n finished trials
 * (uniform params, the function's values), then the time of one `sample` call (mlcycle TPE) beside
 * Optuna 3.1's ask() + one suggest_float per param (its sample_independent path, storage included:
 * what a trial costs an Optuna user). Rounds alternate the two sides; each side keeps its best
 * round's median, so a neighbour's burst of CPU on the shared machine does not decide the ratio.
 */
import { createPrng } from '../../core/sweep/_prng.ts';
import type { FinishedTrial } from '../../core/sweep/samplers/types.ts';
import { tpeSampler } from '../../core/sweep/samplers/tpe.ts';
import type { FloatDistribution } from '../../core/sweep/space.ts';
import { FUNCTIONS, type BenchFunction } from './sweep-functions.ts';
import { median, peer } from './sweep-quality.ts';

export interface CostRow {
  fn: string;
  params: number;
  finished: number;
  mlcycleMs: number;
  optunaMs: number;
}

function prefill(fn: BenchFunction, n: number): FinishedTrial[] {
  const rng = createPrng(0, 'prefill');
  return Array.from({ length: n }, (_, number) => {
    const params = Object.fromEntries(
      Object.entries(fn.space).map(([k, d]) => [k, rng.uniform((d as FloatDistribution).low, (d as FloatDistribution).high)]),
    );
    return { number, params, value: fn.f(params), state: 'complete' as const };
  });
}

function mlcycleMs(fn: BenchFunction, finished: FinishedTrial[], calls: number): number {
  const sampler = tpeSampler({ seed: 0 });
  const times: number[] = [];
  // The first two calls warm the JIT up; a long study is made of warm calls.
  for (let i = -2; i < calls; i++) {
    const t0 = performance.now();
    sampler.sample({ space: fn.space, direction: 'minimize', finished, running: [], trialNumber: finished.length + i + 2 });
    if (i >= 0) times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Part 2: ms per sample at each size of history, for the 2-D and 10-D functions.
 * @example
 * const rows = await measureCost([100, 1000], 3);
 */
export async function measureCost(sizes: readonly number[], rounds: number, only?: string[]): Promise<CostRow[]> {
  const fns = FUNCTIONS.filter((f) => (only ? only.includes(f.name) : f.name !== 'hartmann6'));
  const rows: CostRow[] = [];
  for (const fn of fns) {
    for (const n of sizes) {
      const finished = prefill(fn, n);
      // Optuna's ask at 1,000 trials takes a large fraction of a second: few asks there.
      const calls = n >= 1000 ? 5 : 20;
      let ml = Infinity;
      let opt = Infinity;
      for (let r = 0; r < rounds; r++) {
        const res = await peer<{ seconds: number[] }>(['cost', fn.name, String(n), String(calls)]);
        opt = Math.min(opt, median(res.seconds) * 1000);
        ml = Math.min(ml, mlcycleMs(fn, finished, calls));
      }
      rows.push({ fn: fn.name, params: Object.keys(fn.space).length, finished: n, mlcycleMs: ml, optunaMs: opt });
    }
  }
  return rows;
}
