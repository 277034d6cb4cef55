/**
 * A sweep file's default export: `sweep(theDag, { space, objective, direction, … })`. It is plain
 * data next to the DAG definition; `mlcycle sweep` (or `runStudy`) runs it. Everything a user can get
 * wrong in it is checked before any trial runs (resolveSweep here; the space against the DAG's params
 * in the study runner), each problem naming the field and the fix.
 */
import type { DagDefinition } from '../dag/types.ts';
import { ValidationError } from '../errors.ts';
import { createPruner, PRUNER_NAMES, type PrunerName, type PrunerSpec } from './pruners/create-pruner.ts';
import type { Direction } from './samplers/types.ts';
import type { Space, TrialParams } from './space.ts';

/** The samplers a user can name. */
export const SAMPLER_NAMES = ['tpe', 'random', 'grid'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** A sampler as plain data (stored with the study, so a resumed study samples with the same rule). */
export type SamplerSpec =
  | { kind: 'tpe'; options?: { nStartupTrials?: number; nEiCandidates?: number; constantLiar?: boolean } }
  | { kind: 'random' }
  | { kind: 'grid' };

/** What a sweep file (or the CLI's flags) says. Only `space`, `objective` and `direction` are required. */
export interface SweepOptions {
  /** DAG params every trial gets (the data file, the target); `--param` adds to and overrides them. */
  fixed?: Record<string, unknown>;
  /** The swept params: DAG param names → int/float/choice (conditional choices for "which algorithm"). */
  space: Space;
  /** A path into the DAG's results: `cv.accuracy.mean`, `metrics.rmse`. */
  objective: string;
  direction: Direction;
  /** How many trials the study holds when done (default 20; a grid stops early when every point is tried). */
  trials?: number;
  /** Default `tpe` (Optuna's defaults, with a constant liar for parallel trials). */
  sampler?: SamplerName | SamplerSpec;
  /** Default `none`: a pruned trial's work is thrown away, so pruning is asked for, not assumed. */
  pruner?: PrunerName | PrunerSpec;
  /** The step metric the pruner reads (default `val_score`: the MLP's per-epoch and the forest's per-batch score). */
  pruneOn?: string;
  /** Trials that run at once in the one session (default 1). */
  parallel?: number;
  /** Seed of the sampler and of every trial's run (default 0): the same seed gives the same trials. */
  seed?: number;
  /** Configurations to try first, in order (the defaults, last study's best); each must fit the space. */
  enqueue?: TrialParams[];
  /** Study name (default: the DAG's name and a digest of what the study asks, so the same command resumes it). */
  name?: string;
}

/** SweepOptions with every default filled in. */
export interface ResolvedSweep {
  fixed: Record<string, unknown>;
  space: Space;
  objective: string;
  direction: Direction;
  trials: number;
  sampler: SamplerSpec;
  pruner: PrunerSpec;
  pruneOn: string;
  parallel: number;
  seed: number;
  enqueue: TrialParams[];
  name?: string;
}

/** What `sweep(...)` returns: the DAG and the options, for `mlcycle sweep` to run. */
export interface SweepDefinition {
  readonly __brand: 'mlcycle.Sweep';
  readonly dag: DagDefinition;
  readonly options: SweepOptions;
}

export const DEFAULT_TRIALS = 20;
export const DEFAULT_PRUNE_ON = 'val_score';

/**
 * Declares a sweep of `dag`: the default export of a sweep file.
 * @example
 * import { sweep, int, float, choice } from 'mlcycle';
 * import tabular from './tabular.ts';
 * export default sweep(tabular, {
 *   fixed: { data: 'dags/data/penguins.csv', target: 'species' },
 *   space: { algorithm: choice({ logreg: { C: float(1e-3, 1e3, { log: true }) }, forest: { nEstimators: int(50, 500, { log: true }) } }) },
 *   objective: 'cv.accuracy.mean', direction: 'maximize', trials: 30,
 * });
 */
export function sweep(dag: DagDefinition, options: SweepOptions): SweepDefinition {
  if ((dag as { __brand?: unknown })?.__brand !== 'mlcycle.Dag') {
    throw new ValidationError('sweep(dag, options): the first argument must be what dag() returns (import the DAG file\'s default export)');
  }
  return { __brand: 'mlcycle.Sweep', dag, options };
}

/** True for what `sweep()` returns. */
export function isSweep(value: unknown): value is SweepDefinition {
  return typeof value === 'object' && value !== null && (value as { __brand?: unknown }).__brand === 'mlcycle.Sweep';
}

/**
 * Fills the defaults in and checks every field that does not need the DAG; all problems are reported
 * together in one ValidationError, each naming the field.
 * @example
 * resolveSweep({ space, objective: 'cv.accuracy.mean', direction: 'maximize' }).trials // 20
 */
export function resolveSweep(options: SweepOptions): ResolvedSweep {
  const problems: string[] = [];
  const o = options ?? ({} as SweepOptions);
  if (typeof o.objective !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(o.objective)) {
    problems.push(`objective: ${JSON.stringify(o.objective)} is not a path into the DAG's results; give one such as 'cv.accuracy.mean' (--objective)`);
  }
  if (o.direction !== 'minimize' && o.direction !== 'maximize') {
    problems.push(`direction: ${JSON.stringify(o.direction)} is not 'minimize' or 'maximize' (--direction)`);
  }
  if (typeof o.space !== 'object' || o.space === null || Array.isArray(o.space) || Object.keys(o.space).length === 0) {
    problems.push("space: nothing to sweep; give at least one param, e.g. --space 'algorithm=choice(logreg,forest)'");
  }
  const count = (field: string, v: unknown, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      problems.push(`${field}: ${JSON.stringify(v)} is not an integer >= ${min}`);
      return fallback;
    }
    return v;
  };
  const trials = count('trials', o.trials, DEFAULT_TRIALS, 1);
  const parallel = count('parallel', o.parallel, 1, 1);
  const seed = o.seed === undefined ? 0 : typeof o.seed === 'number' && Number.isSafeInteger(o.seed) ? o.seed : (problems.push(`seed: ${JSON.stringify(o.seed)} is not an integer`), 0);
  const sampler = samplerSpec(o.sampler, problems);
  let pruner: PrunerSpec = { kind: 'none' };
  try {
    const spec = o.pruner ?? 'none';
    createPruner(spec); // validates names and options
    pruner = typeof spec === 'string' ? ({ kind: spec } as PrunerSpec) : spec;
  } catch (err) {
    problems.push(`pruner: ${(err as Error).message} (one of ${PRUNER_NAMES.join(', ')})`);
  }
  const pruneOn = o.pruneOn ?? DEFAULT_PRUNE_ON;
  if (typeof pruneOn !== 'string' || !pruneOn) problems.push('pruneOn: must name a step metric, e.g. val_score');
  if (o.fixed !== undefined && (typeof o.fixed !== 'object' || o.fixed === null || Array.isArray(o.fixed))) problems.push('fixed: must be an object of DAG params');
  if (o.enqueue !== undefined && !Array.isArray(o.enqueue)) problems.push('enqueue: must be an array of param objects');
  if (o.name !== undefined && (typeof o.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(o.name))) {
    problems.push(`name: ${JSON.stringify(o.name)} must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (problems.length) throw new ValidationError(problems.map((p) => `sweep › ${p}`).join('\n'));
  return {
    fixed: { ...(o.fixed ?? {}) },
    space: o.space,
    objective: o.objective,
    direction: o.direction,
    trials,
    sampler,
    pruner,
    pruneOn,
    parallel,
    seed,
    enqueue: [...(o.enqueue ?? [])],
    ...(o.name ? { name: o.name } : {}),
  };
}

function samplerSpec(s: SweepOptions['sampler'], problems: string[]): SamplerSpec {
  if (s === undefined) return { kind: 'tpe' };
  const kind = typeof s === 'string' ? s : (s as { kind?: unknown })?.kind;
  if (!SAMPLER_NAMES.includes(kind as SamplerName)) {
    problems.push(`sampler: unknown sampler ${JSON.stringify(kind)}; use one of ${SAMPLER_NAMES.join(', ')}`);
    return { kind: 'tpe' };
  }
  return typeof s === 'string' ? ({ kind: s } as SamplerSpec) : s;
}
