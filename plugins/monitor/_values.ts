/**
 * Reading one column's values for profiling and drift: what counts as missing, and what is refused.
 * Missing = null, undefined, NaN or the empty string (the same cells the loaders leave empty).
 */
import { DataError } from '../../core/errors.ts';

export type FeatureKind = 'numeric' | 'categorical';

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** Non-missing numbers of a numeric column and how many cells were missing; refuses non-numbers and ±∞. */
export function numericValues(column: string, values: ArrayLike<unknown>, side: string): { values: Float64Array; missing: number } {
  const out = new Float64Array(values.length);
  let n = 0;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const what = typeof v === 'number' ? String(v) : `a ${typeof v}`;
      throw new DataError(`drift: ${side} column '${column}' row ${i + 1} holds ${what}; a numeric feature takes finite numbers or an empty cell`);
    }
    out[n++] = v;
  }
  return { values: out.subarray(0, n), missing };
}

/** Counts per category (a null-prototype map, so a category named `__proto__` is just a category). */
export function categoryCounts(column: string, values: ArrayLike<unknown>, side: string): { counts: Record<string, number>; present: number; missing: number } {
  const counts: Record<string, number> = Object.create(null);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing++;
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new DataError(`drift: ${side} column '${column}' row ${i + 1} holds a ${typeof v}; a categorical feature takes strings, numbers, booleans or an empty cell`);
    }
    const key = String(v);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { counts, present: values.length - missing, missing };
}

/** numeric when every non-missing value is a number, else categorical. */
export function inferKind(values: ArrayLike<unknown>): FeatureKind {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isMissing(v) && typeof v !== 'number') return 'categorical';
  }
  return 'numeric';
}
