/**
 * bench:sweep part 3 (issue 8, "Measured" 3): a real study of dags/tabular.sweep.ts on a CSV, run
 * through the CLI. Counts, from each study's run store, how many trial runs executed each node (the
 * shared prefix — load … prepare-* — must run exactly once per study), and times `--parallel 2`
 * against `--parallel 1`, each in a fresh home with the same seed, per engine mode (the defaults,
 * `--concurrency 1`, …), the sides interleaved and their order alternated per repeat.
 */
import { paramsKey } from '../../core/sweep/space-walk.ts';
import { dropHome, runSweepCli, storeCounts, type SweepCliResult } from './sweep-cli.ts';

/** The nodes of dags/tabular.ts that no swept param reaches: they depend on the data and fixed params only. */
export const PREFIX = /^(load|define|schema|clean|folds|fold-\d+|preprocess(-\d+)?|prepare(-(train|test)-\d+)?)$/;

/** An engine set-up both sides of a timing pair run with. */
export interface StudyMode {
  label: string;
  /** `--concurrency` (nodes of one trial at once, and the session's worker threads); unset: the default, the cores. */
  concurrency?: number;
}

export const STUDY_MODES: Record<string, StudyMode> = {
  default: { label: 'defaults (concurrency = cores)' },
  c1: { label: '--concurrency 1', concurrency: 1 },
};

/** One study run. */
export interface StudySide {
  mode: string;
  parallel: number;
  repeat: number;
  wallMs: number;
  cpuMs: number;
  load: [number, number];
  states: Record<string, number>;
  algorithms: Record<string, number>;
  /** Nodes in one trial's run of the DAG. */
  nodesPerTrial: number;
  /** Node executions of the whole study (not cached, not joined to another trial's execution). */
  executed: number;
  /** Prefix node → executions in the study; each must be 1. */
  prefix: Record<string, number>;
  /** The most executions of any node outside the prefix (≤ trials: each trial at most once). */
  maxOther: number;
  /** Summed durations of the executed nodes: training (train-i, train) and the rest, in ms. */
  nodeMs: { train: number; other: number };
  /** Node executions running at once (time-weighted mean over the study), see StoreCounts.meanBusy. */
  meanBusy: number;
  /** Sorted trial params, to check both sides of a pair ran the same trials. */
  trialsKey: string;
}

export interface StudyOptions {
  data: string;
  target: string;
  trials: number;
  sampler?: string;
  seed: number;
  modes: string[];
  repeats: number;
  /** Called after each study, for progress lines. */
  onSide?(side: StudySide): void;
}

/**
 * Runs `repeats` × modes × {parallel 1, parallel 2} studies, sequentially, and returns each.
 * @example
 * const sides = await measureStudy({ data: 'test/fixtures/data/digits.csv', target: 'digit', trials: 30, seed: 0, modes: ['default', 'c1'], repeats: 1 });
 */
export async function measureStudy(o: StudyOptions): Promise<StudySide[]> {
  const sides: StudySide[] = [];
  for (let repeat = 0; repeat < o.repeats; repeat++) {
    for (const mode of o.modes) {
      const m = STUDY_MODES[mode];
      if (!m) throw new Error(`bench:sweep: unknown --study-modes entry '${mode}'; use ${Object.keys(STUDY_MODES).join(', ')}`);
      // Alternate which side goes first, so a drift in the machine's load does not favour one.
      for (const parallel of repeat % 2 === 0 ? [1, 2] : [2, 1]) {
        const args = [
          'dags/tabular.sweep.ts', '--param', `data=${o.data}`, '--param', `target=${o.target}`, '--trials', String(o.trials),
          '--seed', String(o.seed), '--parallel', String(parallel), ...(o.sampler ? ['--sampler', o.sampler] : []),
          ...(m.concurrency ? ['--concurrency', String(m.concurrency)] : []),
        ];
        const r = await runSweepCli(args);
        try {
          if (r.code !== 0) throw new Error(`mlcycle sweep ${args.join(' ')} exited ${r.code}:\n${r.stderrTail}`);
          const side = describe(r, mode, parallel, repeat);
          sides.push(side);
          o.onSide?.(side);
        } finally {
          dropHome(r.home);
        }
      }
    }
  }
  return sides;
}

function describe(r: SweepCliResult, mode: string, parallel: number, repeat: number): StudySide {
  const { executions, served, durationMs, meanBusy } = storeCounts(r.home, r.trials, 'val_score');
  const nodes = new Set([...executions.keys(), ...served.keys()]);
  const prefix: Record<string, number> = {};
  let maxOther = 0;
  for (const node of [...nodes].sort()) {
    if (PREFIX.test(node)) prefix[node] = executions.get(node) ?? 0;
    else maxOther = Math.max(maxOther, executions.get(node) ?? 0);
  }
  const count = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});
  return {
    mode, parallel, repeat, wallMs: r.wallMs, cpuMs: r.cpuMs, load: r.load,
    states: count(r.trials.map((t) => t.state)),
    algorithms: count(r.trials.map((t) => String(t.params.algorithm))),
    nodesPerTrial: nodes.size,
    executed: [...executions.values()].reduce((a, b) => a + b, 0),
    prefix, maxOther, meanBusy,
    nodeMs: {
      train: [...durationMs].filter(([n]) => /^train(-\d+)?$/.test(n)).reduce((a, [, ms]) => a + ms, 0),
      other: [...durationMs].filter(([n]) => !/^train(-\d+)?$/.test(n)).reduce((a, [, ms]) => a + ms, 0),
    },
    trialsKey: r.trials.map((t) => paramsKey(t.params as never)).sort().join('\n'),
  };
}
