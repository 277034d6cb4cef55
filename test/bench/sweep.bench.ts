/**
 * Sweep samplers against Optuna 3.1 (issue 8, "Measured" 1–2), in one run:
 *   npm run bench:sweep [-- --part samplers|cost] [--seeds 10] [--trials 100] [--rounds 3] [--json]
 * Needs Debian's python3-optuna 3.1 (`apt-get install python3-optuna`) for /usr/bin/python3.
 *  - samplers: branin, hartmann6, styblinski-tang 10-D; `seeds` sequential studies of `trials` trials
 *    each with mlcycle TPE, Optuna TPE and Optuna random; median best-so-far regret at 25, 50, 100.
 *    Targets: mlcycle TPE at least as good as Optuna TPE at 50 and 100 trials, and both clearly better
 *    than random at 100. The two TPEs are one algorithm with different random numbers, so medians over
 *    10 seeds differ by chance (regrets near 0 by 2× and more): the tolerance is a one-sided
 *    Mann–Whitney test over the seeds' regrets — a miss when mlcycle is worse at p < 0.05 (z > 1.645;
 *    with 10 seeds a side, P(mlcycle < Optuna) < 0.28). "Clearly better than random": each TPE beats
 *    random at p < 0.01 (z > 2.326) with a lower median. Seeds are fixed and both sides seeded, so
 *    the verdict is reproducible.
 *  - cost: time of one sample at 100 and 1,000 finished trials beside Optuna's ask + suggest
 *    (2-D and 10-D spaces). Target: ≤ Optuna's.
 * Later parts (a real sweep's node executions, ASHA) come with the sweep command.
 * Exits 1 when a target is missed.
 */
import { measureCost, type CostRow } from './sweep-cost.ts';
import { CHECKPOINTS, measureQuality, rankCompare, type QualityRow } from './sweep-quality.ts';

const Z_WORSE = 1.645;
const Z_BETTER_THAN_RANDOM = 2.326;

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const part = opt('--part', 'all');
if (!['all', 'samplers', 'cost'].includes(part)) {
  console.error(`bench:sweep: --part must be samplers or cost (or omitted for both), got '${part}'`);
  process.exit(2);
}
const seeds = Number(opt('--seeds', '10'));
const trials = Number(opt('--trials', '100'));
const rounds = Number(opt('--rounds', '3'));
const misses: string[] = [];
const report: { quality?: QualityRow[]; cost?: CostRow[] } = {};

const fmt = (x: number): string => (x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(3) : x.toPrecision(3));
const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

if (part === 'all' || part === 'samplers') {
  const t0 = performance.now();
  const rows = await measureQuality(seeds, trials);
  report.quality = rows;
  console.log(`\nSampler quality: median best-so-far regret over ${seeds} seeds (lower is better), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const widths = [18, 14, 10, 10, 10, 24, 22];
  console.log(pad(['function', 'sampler', ...CHECKPOINTS.map((c) => `@${c}`), 'median ÷ Optuna TPE', 'P(beats Optuna) @50/@100'], widths));
  const at = (r: QualityRow, k: number): number[] => r.curves.map((c) => c[Math.min(CHECKPOINTS[k], c.length) - 1]);
  for (const fn of [...new Set(rows.map((r) => r.fn))]) {
    const get = (side: string) => rows.find((r) => r.fn === fn && r.side === side) as QualityRow;
    const [ml, opt, rnd] = [get('mlcycle-tpe'), get('optuna-tpe'), get('optuna-random')];
    for (const r of [ml, opt, rnd]) {
      const ratios = r === opt ? '' : [1, 2].map((k) => `${(r.regret[k] / opt.regret[k]).toFixed(2)}×`).join(' / ');
      const beats = r === opt ? '' : [1, 2].map((k) => rankCompare(at(r, k), at(opt, k)).auc.toFixed(2)).join(' / ');
      console.log(pad([fn, r.side, ...r.regret.map(fmt), ratios, beats], widths));
    }
    for (const k of [1, 2]) {
      const { auc, zWorse } = rankCompare(at(ml, k), at(opt, k));
      if (zWorse > Z_WORSE) misses.push(`${fn} @${CHECKPOINTS[k]}: mlcycle TPE is worse than Optuna TPE (P(beats) ${auc.toFixed(2)}, z ${zWorse.toFixed(2)} > ${Z_WORSE})`);
    }
    for (const r of [ml, opt]) {
      const { auc, zWorse } = rankCompare(at(r, 2), at(rnd, 2));
      if (-zWorse < Z_BETTER_THAN_RANDOM || r.regret[2] >= rnd.regret[2]) {
        misses.push(`${fn} @100: ${r.side} is not clearly better than random (P(beats random) ${auc.toFixed(2)}, z ${(-zWorse).toFixed(2)} < ${Z_BETTER_THAN_RANDOM})`);
      }
    }
  }
  console.log(`Targets: mlcycle TPE not worse than Optuna TPE at 50, 100 (one-sided Mann–Whitney, z ≤ ${Z_WORSE});`);
  console.log(`         each TPE better than random at 100 (z ≥ ${Z_BETTER_THAN_RANDOM}) with a lower median.`);
}

if (part === 'all' || part === 'cost') {
  const rows = await measureCost([100, 1000], rounds);
  report.cost = rows;
  console.log(`\nSampler cost: ms per trial's sample (median of a round, best of ${rounds} alternating rounds)`);
  const widths = [18, 7, 9, 10, 12, 8];
  console.log(pad(['function', 'params', 'finished', 'mlcycle', 'Optuna ask', 'ratio'], widths));
  for (const r of rows) {
    const ratio = r.mlcycleMs / r.optunaMs;
    console.log(pad([r.fn, String(r.params), String(r.finished), r.mlcycleMs.toFixed(2), r.optunaMs.toFixed(2), `${ratio.toFixed(2)}×`], widths));
    if (ratio > 1) misses.push(`${r.fn} at ${r.finished} trials: mlcycle ${r.mlcycleMs.toFixed(2)} ms > Optuna ${r.optunaMs.toFixed(2)} ms`);
  }
  console.log('Target: mlcycle ≤ Optuna (ratio ≤ 1).');
}

if (args.includes('--json')) console.log(JSON.stringify({ ...report, quality: report.quality?.map(({ curves: _, ...r }) => r), misses }));
console.log(misses.length ? `\nMISSED:\n  ${misses.join('\n  ')}` : '\nAll targets met.');
process.exit(misses.length ? 1 : 0);
