/**
 * bench:sweep part 4 (issue 8, "Measured" 4): ASHA on an MLP sweep. dags/tabular.ts with
 * algorithm=mlp fixed (its early stopping, on by default, reports `val_score` every epoch) and
 * learningRate × alpha swept, run through the CLI with `--pruner asha` and `--pruner none`, same
 * seed and trial count, each in a fresh home. Epochs are counted in each study's run store: one
 * `val_score` step row per epoch per training node (every fold's and the final fit's) that the
 * trial's run executed — a pruned trial's aborted nodes count the epochs they trained.
 */
import { dropHome, runSweepCli, storeCounts, type SweepCliResult } from './sweep-cli.ts';

export const ASHA_SPACE = ['mlp.learningRate=float(1e-4,1e-1,log)', 'mlp.alpha=float(1e-5,1e-1,log)'];

/** One study. */
export interface AshaSide {
  /** `asha-<n>`: ASHA with minResource n (test/bench/sweep-mlp.sweep.ts), not Optuna's 'auto'. */
  pruner: 'asha' | 'none' | `asha-${number}`;
  /** Params of the first trial: both sides of a seed must start alike. */
  first: string;
  seed: number;
  wallMs: number;
  best: number | null;
  bestParams: Record<string, unknown> | null;
  states: Record<string, number>;
  /** Epochs trained, summed over the study's training nodes (from the run store's step metrics). */
  epochs: number;
  /** The same from the trials' intermediate values (one per step the trial reached): a cross-check. */
  intermediateSteps: number;
}

export interface AshaOptions {
  data: string;
  target: string;
  trials: number;
  seeds: number[];
  /** Also run ASHA with these fixed minResource values (epochs before the first rung). */
  minResources?: number[];
  /** Called after each study, for progress lines. */
  onSide?(side: AshaSide): void;
}

/**
 * For each seed, the `none` study then the `asha` study (sequentially).
 * @example
 * const sides = await measureAsha({ data: 'test/fixtures/data/digits.csv', target: 'digit', trials: 20, seeds: [0, 1, 2] });
 */
export async function measureAsha(o: AshaOptions): Promise<AshaSide[]> {
  const sides: AshaSide[] = [];
  for (const seed of o.seeds) {
    for (const pruner of ['none', 'asha', ...(o.minResources ?? []).map((n) => `asha-${n}` as const)] as const) {
      const fixedRung = pruner.startsWith('asha-');
      const common = ['--param', `data=${o.data}`, '--param', `target=${o.target}`, '--trials', String(o.trials), '--seed', String(seed)];
      const args = fixedRung
        ? ['test/bench/sweep-mlp.sweep.ts', ...common]
        : ['dags/tabular.ts', ...common, '--param', 'algorithm=mlp', ...ASHA_SPACE.flatMap((s) => ['--space', s]),
            '--objective', 'cv.accuracy.mean', '--direction', 'maximize', '--pruner', pruner];
      const r = await runSweepCli(args, fixedRung ? { env: { MLCYCLE_BENCH_ASHA_MIN_RESOURCE: pruner.slice(5) } } : {});
      try {
        if (r.code !== 0) throw new Error(`mlcycle sweep ${args.join(' ')} exited ${r.code}:\n${r.stderrTail}`);
        const side = describe(r, pruner, seed);
        sides.push(side);
        o.onSide?.(side);
      } finally {
        dropHome(r.home);
      }
    }
  }
  return sides;
}

function describe(r: SweepCliResult, pruner: AshaSide['pruner'], seed: number): AshaSide {
  const { steps } = storeCounts(r.home, r.trials, 'val_score');
  const states: Record<string, number> = {};
  for (const t of r.trials) states[t.state] = (states[t.state] ?? 0) + 1;
  return {
    pruner, seed, first: JSON.stringify(r.trials[0]?.params ?? null), wallMs: r.wallMs, best: r.best?.value ?? null, bestParams: r.best?.params ?? null, states,
    epochs: [...steps.values()].reduce((a, b) => a + b, 0),
    intermediateSteps: r.trials.reduce((a, t) => a + Object.keys(t.intermediate).length, 0),
  };
}
