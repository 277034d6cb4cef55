/**
 * Walking a search space: the flat list of every param it can produce and the branch choices each
 * one needs, the params active under a partial assignment, top-down sampling that resolves
 * branches, and a canonical key for a trial's params. Naming: a branch param's value is the branch
 * name; the params inside branch `b` of a param whose own prefix is `p` are named `p + b + '.' + name`
 * (`algorithm` → `forest.nEstimators`; nested: `mlp.optimizer` → `mlp.adam.lr`), which is the DAG's
 * `<algorithm>.<param>` convention. Params of one level are visited in sorted name order, so a space
 * walks the same way whatever order its keys were written in.
 */
import { distributionContains, showValue } from './distribution.ts';
import type { ChoiceValue, Distribution, Space, TrialParams } from './space.ts';

/** "This param exists only when `param` took the value `branch`." */
export interface BranchCondition {
  readonly param: string;
  readonly branch: string;
}

/** One param a space can produce, with its full name and the branch choices it needs. */
export interface SpaceParam {
  /** Full name, as the DAG sees it (`forest.nEstimators`). */
  readonly name: string;
  readonly distribution: Distribution;
  /** Outermost first; empty for a top-level param. */
  readonly conditions: readonly BranchCondition[];
}

/**
 * The branch names of a conditional choice, in the order they were written (stable through JSON).
 * @example
 * branchNames(choice({ logreg: {}, forest: {} })) // ['logreg', 'forest']
 */
export function branchNames(d: Distribution & { kind: 'branch' }): string[] {
  return Object.keys(d.branches);
}

function sortedNames(space: Space): string[] {
  return Object.keys(space).sort();
}

/**
 * Every param the space can produce, depth-first (a branch param, then each branch's params), each
 * with the branch conditions it needs.
 * @example
 * flattenSpace({ algorithm: choice({ forest: { nEstimators: int(50, 500) }, bayes: {} }) })
 * // [{ name: 'algorithm', conditions: [] , … },
 * //  { name: 'forest.nEstimators', conditions: [{ param: 'algorithm', branch: 'forest' }], … }]
 */
export function flattenSpace(space: Space): SpaceParam[] {
  const out: SpaceParam[] = [];
  const walk = (s: Space, prefix: string, conditions: readonly BranchCondition[]): void => {
    for (const key of sortedNames(s)) {
      const name = prefix + key;
      const distribution = s[key];
      out.push({ name, distribution, conditions });
      if (distribution?.kind === 'branch') {
        for (const b of branchNames(distribution)) {
          walk(distribution.branches[b] ?? {}, `${prefix}${b}.`, [...conditions, { param: name, branch: b }]);
        }
      }
    }
  };
  walk(space, '', []);
  return out;
}

/**
 * The params that exist under `params` (a partial or complete assignment): every top-level param,
 * and a branch's params only when its branch param is assigned that branch. Unassigned branch
 * params are listed, their branches' params are not.
 * @example
 * activeParams(space, { algorithm: 'forest' }).map((p) => p.name) // ['algorithm', 'forest.nEstimators']
 */
export function activeParams(space: Space, params: Readonly<Record<string, unknown>>): SpaceParam[] {
  // flattenSpace's depth-first order, keeping a param when every branch it sits in is the chosen one.
  return flattenSpace(space).filter((p) => p.conditions.every((c) => Object.hasOwn(params, c.param) && params[c.param] === c.branch));
}

/**
 * `activeParams` as name → distribution, in walk order.
 * @example
 * activeDistributions(space, { algorithm: 'bayes' }) // { algorithm: { kind: 'branch', … } }
 */
export function activeDistributions(space: Space, params: Readonly<Record<string, unknown>>): Record<string, Distribution> {
  return Object.fromEntries(activeParams(space, params).map((p) => [p.name, p.distribution]));
}

/**
 * Whether `param`'s branch conditions hold under `params`.
 * @example
 * isActive({ name: 'forest.nEstimators', conditions: [{ param: 'algorithm', branch: 'forest' }], … }, { algorithm: 'forest' }) // true
 */
export function isActive(param: SpaceParam, params: Readonly<Record<string, unknown>>): boolean {
  return param.conditions.every((c) => params[c.param] === c.branch);
}

/**
 * Samples a space top-down: `pick` gets each active param (with the params chosen so far) and
 * returns its value; for a branch param it must return a branch name, whose params come next.
 * @example
 * sampleSpace(space, (p) => p.distribution.kind === 'branch' ? 'forest' : 100) // { algorithm: 'forest', 'forest.nEstimators': 100 }
 */
export function sampleSpace(space: Space, pick: (param: SpaceParam, soFar: Readonly<TrialParams>) => ChoiceValue): TrialParams {
  const params: TrialParams = {};
  const walk = (s: Space, prefix: string, conditions: readonly BranchCondition[]): void => {
    for (const key of sortedNames(s)) {
      const name = prefix + key;
      const distribution = s[key];
      const value = pick({ name, distribution, conditions }, params);
      params[name] = value;
      if (distribution.kind !== 'branch') continue;
      if (typeof value !== 'string' || !Object.hasOwn(distribution.branches, value)) {
        throw new Error(`sampleSpace: the value for branch param '${name}' must be one of ${branchNames(distribution).join(', ')}, got ${showValue(value)}`);
      }
      walk(distribution.branches[value], `${prefix}${value}.`, [...conditions, { param: name, branch: value }]);
    }
  };
  walk(space, '', []);
  return params;
}

/**
 * A canonical string for a trial's params (sorted keys, JSON values): equal keys mean the same
 * configuration, whatever the key order. -0 and 0 are one value here, as in JSON.
 * @example
 * paramsKey({ b: 1, a: 'x' }) === paramsKey({ a: 'x', b: 1 }) // true
 */
export function paramsKey(params: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/**
 * What is wrong with `params` as a full assignment of `space` (for enqueued trials and stored ones
 * read back): missing active params, values a distribution cannot produce, params that are not
 * active. Empty when it fits.
 * @example
 * trialParamsErrors({ n: int(1, 3) }, { n: 5 }) // ["'n' = 5 is not a value of int(1, 3)"]
 */
export function trialParamsErrors(space: Space, params: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  const active = activeParams(space, params);
  const names = new Set(active.map((p) => p.name));
  for (const p of active) {
    if (!Object.hasOwn(params, p.name)) errors.push(`'${p.name}' is missing`);
    else if (!distributionContains(p.distribution, params[p.name])) {
      errors.push(`'${p.name}' = ${JSON.stringify(params[p.name])} is not a value of ${describeDistribution(p.distribution)}`);
    }
  }
  for (const key of Object.keys(params)) {
    if (!names.has(key)) errors.push(`'${key}' is not a param of the space under these branch choices`);
  }
  return errors;
}

/**
 * A distribution as the constructor call that makes it (for messages and tables).
 * @example
 * describeDistribution(float(1e-3, 1e3, { log: true })) // 'float(0.001, 1000, log)'
 */
export function describeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'int':
      return `int(${d.low}, ${d.high}${d.log ? ', log' : ''}${d.step !== 1 ? `, step ${d.step}` : ''})`;
    case 'float':
      return `float(${d.low}, ${d.high}${d.log ? ', log' : ''}${d.step !== null ? `, step ${d.step}` : ''})`;
    case 'choice':
      return `choice([${d.choices.map((c) => JSON.stringify(c)).join(', ')}])`;
    case 'branch':
      return `choice({ ${branchNames(d).join(', ')} })`;
  }
}
