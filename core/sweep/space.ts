/**
 * Search spaces for sweeps: what each swept DAG param may take. `int`, `float` and `choice` describe one
 * param; a `choice` of objects is conditional: each key is a branch, and the params inside a branch
 * exist only when it is chosen (`choice({ logreg: { C: float(1e-3, 1e3, { log: true }) }, … })` under
 * the key `algorithm` makes `algorithm` one of 'logreg', … and `logreg.C` a param only in logreg's
 * trials). That is how "choose an algorithm" becomes a sweep. Plain data, so a space is JSON (stored
 * with its study) and samplers, validation and reports read one shape.
 */

/** A JSON scalar. */
export type ChoiceScalar = string | number | boolean | null;

/**
 * A value a categorical param can take: a JSON scalar, or a flat array of them (an MLP's layer sizes,
 * `choice([[64], [64, 32]])`); the DAG param's schema checks it. Arrays compare by content.
 */
export type ChoiceValue = ChoiceScalar | readonly ChoiceScalar[];

/** An integer in [low, high] (both inclusive), on a grid of `step` from low; `log` samples ln-uniformly. */
export interface IntDistribution {
  kind: 'int';
  low: number;
  high: number;
  log: boolean;
  step: number;
}

/** A float in [low, high]; `step` puts it on a grid from low; `log` samples ln-uniformly (low > 0). */
export interface FloatDistribution {
  kind: 'float';
  low: number;
  high: number;
  log: boolean;
  step: number | null;
}

/** One of `choices`, unordered. */
export interface ChoiceDistribution {
  kind: 'choice';
  choices: readonly ChoiceValue[];
}

/**
 * A conditional choice: the param takes one of the branch names; the chosen branch's own space is
 * then sampled, its params named `<branch>.<name>` (the DAG's `<algorithm>.<param>` convention).
 * Branches nest: inside branch `mlp`, a conditional `optimizer` is the param `mlp.optimizer` and its
 * branch `adam`'s `beta` is `mlp.adam.beta` (space-walk.ts walks and names them).
 */
export interface BranchDistribution {
  kind: 'branch';
  branches: Readonly<Record<string, Space>>;
}

export type Distribution = IntDistribution | FloatDistribution | ChoiceDistribution | BranchDistribution;

/** Param name → distribution. */
export type Space = Readonly<Record<string, Distribution>>;

/** Params of one trial: every sampled name (branch params flattened as `<branch>.<name>`) → value. */
export type TrialParams = Record<string, ChoiceValue>;

/**
 * An integer param in [low, high].
 * @example
 * int(50, 500, { log: true }) // forest.nEstimators
 */
export function int(low: number, high: number, options: { log?: boolean; step?: number } = {}): IntDistribution {
  return { kind: 'int', low, high, log: options.log ?? false, step: options.step ?? 1 };
}

/**
 * A float param in [low, high].
 * @example
 * float(1e-3, 1e3, { log: true }) // logreg.C
 */
export function float(low: number, high: number, options: { log?: boolean; step?: number } = {}): FloatDistribution {
  return { kind: 'float', low, high, log: options.log ?? false, step: options.step ?? null };
}

/**
 * A categorical param (an array of values) or a conditional one (an object of branches).
 * @example
 * choice(['relu', 'tanh'])
 * choice({ logreg: { C: float(1e-3, 1e3, { log: true }) }, forest: { nEstimators: int(50, 500) }, bayes: {} })
 */
export function choice(values: readonly ChoiceValue[]): ChoiceDistribution;
export function choice(branches: Readonly<Record<string, Space>>): BranchDistribution;
export function choice(arg: readonly ChoiceValue[] | Readonly<Record<string, Space>>): ChoiceDistribution | BranchDistribution {
  if (Array.isArray(arg)) return { kind: 'choice', choices: [...arg] };
  return { kind: 'branch', branches: { ...(arg as Readonly<Record<string, Space>>) } };
}
