import { NonRetryableError } from '../../core/index.ts';
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

/**
 * Applies one fitted step.
 * @example
 * applyStep(test, { type: 'minmax', columns: [{ column: 'x', min: 0, max: 10 }] })
 */
export function applyStep(table: DataTable, step: TransformSpec['steps'][number]): DataTable {
  const type = stepTypes[step.type as keyof typeof stepTypes];
  if (!type) {
    throw new NonRetryableError(
      `applyTransform: unknown step type '${step.type}'; known types are ${Object.keys(stepTypes).join(', ')}. ` +
        `Was the Transform made by a newer mlcycle?`,
    );
  }
  return (type.apply as (t: DataTable, s: unknown) => DataTable)(table, step);
}

/**
 * Applies a fitted Transform: its steps in order, never re-fitting, so test rows and data at predict
 * time are transformed with the training split's statistics. The exporter and `mlcycle predict` use it.
 * @example
 * const features = applyTransform(testTable, transform); // transform from transformers/auto-preprocess
 */
export function applyTransform(table: DataTable, spec: TransformSpec): DataTable {
  let out = table;
  for (const step of spec.steps) out = applyStep(out, step);
  return out;
}
