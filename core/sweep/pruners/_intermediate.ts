/**
 * Reading intermediate values whichever shape they come in (Map, or a JSON-born object keyed by the
 * step's decimal string), and checking steps, so each pruner reads one shape.
 */
import { ValidationError } from '../../errors.ts';
import type { IntermediateValues, PrunerAttrs } from './types.ts';

const STEP_KEY = /^(0|[1-9]\d*)$/;

/**
 * Who is reading, for error messages: the pruner's name and the trial's number. Kept apart until a
 * message is needed, because a decision reads every trial and building strings for each costs more
 * than the reading.
 */
export interface Reader { pruner: string; trial: number }
const at = (r: Reader): string => `${r.pruner} pruner, trial ${r.trial}`;

/** Throws unless `step` is a non-negative safe integer (steps drive rung arithmetic and loops). */
export function checkStep(r: Reader, step: number): void {
  if (!Number.isSafeInteger(step) || step < 0) {
    throw new ValidationError(`${at(r)}: step must be a non-negative integer, got ${String(step)}; report epochs or batches as 0, 1, 2, …`);
  }
}

function checkValue(r: Reader, step: number, value: unknown): number {
  if (typeof value !== 'number') {
    throw new ValidationError(`${at(r)}: the value at step ${step} is ${value === null ? 'null' : typeof value}, not a number; store NaN and ±Infinity as numbers (JSON turns them into null)`);
  }
  return value;
}

/**
 * [step, value] pairs of `iv`, in its own order. A plain object's keys must be steps (own keys only:
 * user-controlled JSON).
 */
export function stepEntries(r: Reader, iv: IntermediateValues): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (iv instanceof Map) {
    for (const [step, value] of iv as ReadonlyMap<number, number>) {
      checkStep(r, step);
      out.push([step, checkValue(r, step, value)]);
    }
    return out;
  }
  for (const key of Object.keys(iv)) {
    if (!STEP_KEY.test(key)) throw new ValidationError(`${at(r)}: intermediate values have the key '${key}', which is not a step; keys must be 0, 1, 2, …`);
    const step = Number(key);
    checkStep(r, step);
    out.push([step, checkValue(r, step, (iv as Record<string, unknown>)[key])]);
  }
  return out;
}

/** The value at `step`, or undefined when the trial has not reported that step. */
export function valueAt(r: Reader, iv: IntermediateValues, step: number): number | undefined {
  if (iv instanceof Map) {
    return (iv as ReadonlyMap<number, number>).has(step) ? checkValue(r, step, iv.get(step)) : undefined;
  }
  const key = String(step);
  return Object.hasOwn(iv, key) ? checkValue(r, step, (iv as Record<string, unknown>)[key]) : undefined;
}

/** A number kept in a trial's attrs, or undefined (absent, not a number, or NaN: never stored by a pruner). */
export function attrNumber(attrs: PrunerAttrs | undefined, key: string): number | undefined {
  if (attrs === undefined || !Object.hasOwn(attrs, key)) return undefined;
  const v = attrs[key];
  return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
}

/** A value for a reason line: 4 significant digits, NaN and ±Infinity spelled out. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}
