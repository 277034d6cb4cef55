import { readCell } from '../loaders/read-table.ts';
import type { FeatureContract } from './_manifest.ts';

/** A value in the feature's type, or why it is not one. */
export type Coerced = { ok: true; value: unknown } | { ok: false; why: string };

/**
 * Missing: null, undefined, NaN, or text that is empty after trimming (what the CSV loader reads as
 * missing; a JSON `""` means the same).
 * @example
 * isBlank('  '); // true
 */
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && v.trim() === '');
}

/**
 * A present value as the training type. Text is read with the loaders' grammar, because one bad cell
 * turns a whole CSV column into text and the other rows' numbers must still count as numbers.
 * @example
 * coerceValue('4050', 'integer'); // { ok: true, value: 4050 }
 * coerceValue(3.5, 'integer');    // { ok: false, why: 'is not a whole number (training saw only integers)' }
 */
export function coerceValue(v: unknown, type: FeatureContract['type']): Coerced {
  switch (type) {
    case 'number':
    case 'integer': {
      let x: unknown = v;
      if (typeof v === 'bigint') x = Number(v);
      else if (typeof v === 'string') x = readCell(v, 'number');
      if (typeof x !== 'number') return { ok: false, why: 'is not a number' };
      if (!Number.isFinite(x)) return { ok: false, why: 'is not a finite number' };
      if (type === 'integer' && !Number.isInteger(x)) return { ok: false, why: 'is not a whole number (training saw only integers)' };
      return { ok: true, value: x };
    }
    case 'string':
      if (typeof v === 'string') return { ok: true, value: v };
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return { ok: true, value: String(v) };
      return { ok: false, why: 'is not text' };
    case 'boolean': {
      const b = typeof v === 'boolean' ? v : typeof v === 'string' ? readCell(v, 'boolean') : undefined;
      return typeof b === 'boolean' ? { ok: true, value: b } : { ok: false, why: 'is not true or false' };
    }
    case 'date': {
      const d = v instanceof Date ? v : typeof v === 'string' ? readCell(v, 'date') : undefined;
      return d instanceof Date && !Number.isNaN(d.getTime()) ? { ok: true, value: d } : { ok: false, why: 'is not an ISO date (YYYY-MM-DD)' };
    }
    default:
      return { ok: true, value: v };
  }
}

/**
 * A value as messages show it: text quoted and cut at 40 characters, so a huge cell cannot flood a
 * message.
 * @example
 * shown('Atlantis'); // '"Atlantis"'
 */
export function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid date' : v.toISOString();
  return String(v);
}

/**
 * A list for a message, cut after `max` items.
 * @example
 * listed(['a', 'b', 'c'], 2); // 'a, b, … 1 more'
 */
export function listed(items: readonly string[], max = 10): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … ${items.length - max} more`;
}
