import { DataError } from '../../core/index.ts';
import type { TransformSpec } from '../kinds.ts';
import { applyClip, fitClip, type ClipStep } from './_clip.ts';
import { applyDrop, fitDrop, type DropStep } from './_drop.ts';
import { applyOneHot, applyOrdinal, fitOneHot, fitOrdinal, type OneHotStep, type OrdinalStep } from './_encode.ts';
import { applyImpute, fitImpute, type ImputeStep } from './_impute.ts';
import { applyMinMax, applyStandardize, fitMinMax, fitStandardize, type MinMaxStep, type StandardizeStep } from './_scale.ts';
import type { DataTable } from '../data-table.ts';

export type { ClipStep, ClipMethod, ClipOptions } from './_clip.ts';
export type { DropStep } from './_drop.ts';
export type { OneHotStep, OrdinalStep } from './_encode.ts';
export type { FillValue, ImputeMethod, ImputeOptions, ImputeStep } from './_impute.ts';
export type { MinMaxStep, StandardizeStep } from './_scale.ts';
export { fitClip, fitDrop, fitImpute, fitMinMax, fitOneHot, fitOrdinal, fitStandardize };
export { applyClip, applyDrop, applyImpute, applyMinMax, applyOneHot, applyOrdinal, applyStandardize };

/** Every fitted step a Transform may hold. */
export type Step = ImputeStep | ClipStep | StandardizeStep | MinMaxStep | OneHotStep | OrdinalStep | DropStep;

/**
 * The step library: each type's `fit(table, opts) → state` (learned on train only) and
 * `apply(table, state) → table` (pure; the same state gives the same output for any table).
 * @example
 * const step = stepTypes.standardize.fit(train, { columns: ['Body Mass (g)'] });
 * const scaled = stepTypes.standardize.apply(test, step);
 */
export const stepTypes = {
  impute: { fit: fitImpute, apply: applyImpute },
  clip: { fit: fitClip, apply: applyClip },
  standardize: { fit: fitStandardize, apply: applyStandardize },
  minmax: { fit: fitMinMax, apply: applyMinMax },
  onehot: { fit: fitOneHot, apply: applyOneHot },
  ordinal: { fit: fitOrdinal, apply: applyOrdinal },
  drop: { fit: fitDrop, apply: applyDrop },
} as const;

/** The step types a Transform may name, for messages. */
const knownTypes = Object.keys(stepTypes).join(', ');

/**
 * The entry of `stepTypes` for a step's `type`, looked up as an own property only: a Transform read
 * from a file names its step types, and 'constructor', '__proto__' or 'toString' must not reach
 * Object.prototype. Throws DataError naming the step and its type when there is none.
 * @example
 * stepTypeOf({ type: 'minmax', columns: [] }, 0).apply
 */
export function stepTypeOf(step: unknown, index: number): (typeof stepTypes)[keyof typeof stepTypes] {
  const type = typeof step === 'object' && step !== null && Object.hasOwn(step, 'type') ? (step as { type: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(stepTypes, type)) {
    const shown = typeof type === 'string' ? `an unknown step type '${type.length > 40 ? `${type.slice(0, 40)}…` : type}'` : 'no type';
    throw new DataError(
      `applyTransform: step ${index + 1} has ${shown}; known types are ${knownTypes}. ` +
        `Was the Transform made by a newer mlcycle, or edited by hand?`,
    );
  }
  return stepTypes[type as keyof typeof stepTypes];
}

/**
 * Checks the shape of a Transform before anything runs it: `steps` is an array, each step an object
 * with a known own `type` and an own `columns` array. A Transform read from a bundle is untrusted
 * input; a malformed one fails here with the step's number instead of deep inside a step.
 * @example
 * checkTransform(JSON.parse(text)); // throws DataError: step 2 has an unknown step type 'constructor'; …
 */
export function checkTransform(spec: unknown): asserts spec is TransformSpec {
  const steps = typeof spec === 'object' && spec !== null && Object.hasOwn(spec, 'steps') ? (spec as { steps: unknown }).steps : undefined;
  if (!Array.isArray(steps)) throw new DataError('applyTransform: the Transform has no steps array');
  steps.forEach((step, i) => {
    stepTypeOf(step, i);
    if (!Object.hasOwn(step as object, 'columns') || !Array.isArray((step as { columns: unknown }).columns)) {
      throw new DataError(`applyTransform: step ${i + 1} (${(step as { type: string }).type}) has no columns array`);
    }
  });
}

/**
 * Applies one fitted step (`index` only numbers the step in errors).
 * @example
 * applyStep(test, { type: 'minmax', columns: [{ column: 'x', min: 0, max: 10 }] })
 */
export function applyStep(table: DataTable, step: TransformSpec['steps'][number], index = 0): DataTable {
  const type = stepTypeOf(step, index);
  return (type.apply as (t: DataTable, s: unknown) => DataTable)(table, step);
}

/**
 * Applies a fitted Transform: its steps in order, never re-fitting, so test rows and data at predict
 * time are transformed with the training split's statistics. The exporter and `mlcycle predict` use it.
 * The Transform's shape is checked first (checkTransform), so a bad step fails before any step runs.
 * @example
 * const features = applyTransform(testTable, transform); // transform from transformers/auto-preprocess
 */
export function applyTransform(table: DataTable, spec: TransformSpec): DataTable {
  checkTransform(spec);
  let out = table;
  spec.steps.forEach((step, i) => (out = applyStep(out, step, i)));
  return out;
}
