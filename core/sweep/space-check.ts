/**
 * Checks a sweep's space against the DAG it sweeps, before any trial runs: every swept name is a
 * DAG param, every value a range or choice can produce is one the param's schema accepts, and no
 * param is both fixed and swept. All problems are collected and reported together, each naming the
 * param and the fix, as one ValidationError (CLI exit 2).
 */
import type { TSchema } from 'typebox';
import type { DagParam } from '../dag/types.ts';
import { ValidationError } from '../errors.ts';
import { compileParams } from '../task/validate-params.ts';
import { closestName } from './_did-you-mean.ts';
import { spaceShapeErrors } from './_space-shape.ts';
import { gridPoint, gridPointCount, isStepped, showValue } from './distribution.ts';
import type { ChoiceValue, Space } from './space.ts';
import { describeDistribution, flattenSpace } from './space-walk.ts';

/** What checkSpace needs to know of a DAG param: `BuiltDag.params` fits as it is. */
export type DagParamSchema = Pick<DagParam, 'name' | 'schema'>;

export interface CheckSpaceOptions {
  /** The study's fixed params (`--param`, the sweep file's `fixed`): none may also be swept. */
  fixed?: Readonly<Record<string, unknown>>;
}

/**
 * Every problem with `space` as a sweep of a DAG with params `dagParams`; empty when there is none.
 * Shape problems (an empty range, a bad step, an empty choice) come first; the DAG's schemas are
 * then checked for every param whose own distribution is well-formed.
 * @example
 * spaceErrors({ 'forest.nEstimator': int(50, 500) }, built.params)
 * // ["space 'forest.nEstimator': not a param of the DAG; did you mean 'forest.nEstimators'?"]
 */
export function spaceErrors(space: Space, dagParams: readonly DagParamSchema[], options: CheckSpaceOptions = {}): string[] {
  const shape = spaceShapeErrors(space);
  const errors = shape.map((e) => e.message);
  // Past this point the space is walked: a space that is not even an object has nothing more to say.
  if (shape.some((e) => e.name === '')) return errors;
  const malformed = new Set(shape.map((e) => e.name));
  const byName = new Map(dagParams.map((p) => [p.name, p]));
  const known = dagParams.map((p) => p.name);
  const fixed = options.fixed ?? {};
  for (const { name, distribution: d } of flattenSpace(space)) {
    const at = `space '${name}'`;
    if (Object.hasOwn(fixed, name)) {
      errors.push(`${at}: the param is both fixed (${JSON.stringify(fixed[name])}) and swept; remove it from the fixed params or from the space`);
    }
    const param = byName.get(name);
    if (!param) {
      errors.push(`${at}: not a param of the DAG; ${unknownNameFix(name, known)}`);
      continue;
    }
    if (malformed.has(name) || !isDistribution(d)) continue;
    const validate = compileParams(param.schema);
    const reject = (value: ChoiceValue, what: string): void => {
      const problems = validate(value).errors;
      if (problems.length) errors.push(`${at}: ${what} ${showValue(value)} is not allowed: ${problems[0].replace(/^params\b/, name)}; ${fixFor(d.kind)}`);
    };
    if (d.kind === 'int' || d.kind === 'float') {
      const types = numericTypes(param.schema);
      if (!types.integer && !types.number) {
        errors.push(`${at}: ${describeDistribution(d)} is numeric but the param is not a number; use choice([…]) of its values`);
        continue;
      }
      if (d.kind === 'float' && !types.number && !(isStepped(d) && Number.isInteger(d.step) && Number.isInteger(d.low))) {
        errors.push(`${at}: the param takes integers; use int(${Math.ceil(d.low)}, ${Math.floor(d.high)}) instead of ${describeDistribution(d)}`);
        continue;
      }
      reject(d.low, 'low');
      reject(isStepped(d) ? gridPoint(d, gridPointCount(d) - 1) : d.high, 'high');
    } else if (d.kind === 'choice') {
      for (const c of d.choices) reject(c, 'choice');
    } else {
      for (const b of Object.keys(d.branches)) reject(b, 'branch');
    }
  }
  return errors;
}

/**
 * Throws one ValidationError listing every problem `spaceErrors` finds; returns quietly otherwise.
 * @example
 * checkSpace(space, dag.build({ params: fixed }).params, { fixed });
 */
export function checkSpace(space: Space, dagParams: readonly DagParamSchema[], options: CheckSpaceOptions = {}): void {
  const errors = spaceErrors(space, dagParams, options);
  if (errors.length === 1) throw new ValidationError(`sweep ${errors[0]}`);
  if (errors.length) throw new ValidationError(`sweep space has ${errors.length} problems:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
}

/**
 * Throws a ValidationError listing every shape problem of a space, with no DAG to check against
 * (a space read back from a stored study, or given to a sampler directly).
 * @example
 * checkSpaceShape({ n: int(10, 1) }) // throws: sweep space 'n': empty range int(10, 1): low > high; …
 */
export function checkSpaceShape(space: unknown): asserts space is Space {
  const errors = spaceShapeErrors(space).map((e) => e.message);
  if (errors.length === 1) throw new ValidationError(`sweep ${errors[0]}`);
  if (errors.length) throw new ValidationError(`sweep space has ${errors.length} problems:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
}

function unknownNameFix(name: string, known: readonly string[]): string {
  const near = closestName(name, known);
  if (near) return `did you mean '${near}'?`;
  // A branch's param: list the DAG's params under the same prefix (`forest.` → forest.nEstimators, …).
  const dot = name.lastIndexOf('.');
  const siblings = dot > 0 ? known.filter((k) => k.startsWith(name.slice(0, dot + 1))) : [];
  if (siblings.length) return `the DAG's params under '${name.slice(0, dot + 1)}' are ${siblings.join(', ')}`;
  return `the DAG's params are ${known.join(', ') || '(none)'}`;
}

function fixFor(kind: string): string {
  if (kind === 'choice') return 'remove it from the choice';
  if (kind === 'branch') return "rename the branch to one of the param's values";
  return "keep the range inside the param's schema";
}

function isDistribution(d: unknown): boolean {
  return d !== null && typeof d === 'object' && ['int', 'float', 'choice', 'branch'].includes((d as { kind?: string }).kind as string);
}

/** Whether a schema accepts some integers / some non-integer numbers (through anyOf, type lists, enums). */
function numericTypes(schema: TSchema): { integer: boolean; number: boolean } {
  const s = schema as Record<string, unknown>;
  const out = { integer: false, number: false };
  const merge = (o: { integer: boolean; number: boolean }): void => {
    out.integer ||= o.integer;
    out.number ||= o.number;
  };
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) for (const sub of s[key] as TSchema[]) merge(numericTypes(sub));
  }
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.includes('number')) out.number = true;
  if (types.includes('integer')) out.integer = true;
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  for (const v of values) {
    if (typeof v === 'number') {
      if (Number.isInteger(v)) out.integer = true;
      else out.number = true;
    }
  }
  // A schema with no type, enum or combinator accepts anything, numbers included.
  if (!types.length && !values.length && !s.anyOf && !s.oneOf && !s.allOf) out.number = out.integer = true;
  return out;
}
