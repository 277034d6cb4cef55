import { isMissing } from '../data-table.ts';

export type CastType = 'number' | 'string' | 'boolean';

/** Spellings read as booleans (case-insensitive, trimmed). */
const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * A failed cast: the cell becomes null and the caller counts it.
 * @example
 * if (castValue(v, 'number') === UNCASTABLE) failed++;
 */
export const UNCASTABLE: unique symbol = Symbol('uncastable');

/**
 * Converts one cell. Missing stays null (it is not a failure); a value with no sensible reading in
 * the target type returns UNCASTABLE.
 * @example
 * castValue(' 3.5 ', 'number') // 3.5
 * castValue('abc', 'number')   // UNCASTABLE
 * castValue('Yes', 'boolean')  // true
 */
export function castValue(v: unknown, type: CastType): number | string | boolean | null | typeof UNCASTABLE {
  if (isMissing(v)) return null;
  if (type === 'string') return v instanceof Date ? v.toISOString() : String(v);
  if (type === 'number') {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Date) return v.getTime();
    if (typeof v === 'string') {
      const s = v.trim();
      if (s === '') return null;
      const n = Number(s);
      return Number.isFinite(n) ? n : UNCASTABLE;
    }
    return UNCASTABLE;
  }
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : UNCASTABLE;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === '') return null;
    return TRUE.has(s) ? true : FALSE.has(s) ? false : UNCASTABLE;
  }
  return UNCASTABLE;
}
