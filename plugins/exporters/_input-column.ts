import type { ColumnTable } from 'arquero';
import { readNumbers } from '../arrow-columns.ts';
import { columnValues } from '../data-table.ts';
import { coerceValue, isBlank, listed, shown } from './_input-values.ts';
import type { FeatureContract } from './_manifest.ts';

// jiti turns each use of an imported binding into a getter call; the per-cell loops use local aliases.
const coerce = coerceValue;
const blank = isBlank;

/** Where checkColumn reports: a reason for a row, a blank cell, and the first wrong-typed values. */
export interface ColumnSink {
  note(row: number, why: string): void;
  blanks: Int32Array;
  typeBad: string[];
}

/**
 * Checks one feature column of new rows against what training saw, reporting each problem to `sink`.
 * Returns the column's values in the training type, or undefined when the column already holds
 * exactly those (an Arrow number column, the common case, checked straight from its buffer).
 * @example
 * const typed = checkColumn(table, { name: 'x', type: 'number', min: 0, max: 1, missingAllowed: false }, 0.1, sink);
 */
export function checkColumn(table: ColumnTable, f: FeatureContract, tolerance: number, sink: ColumnSink): unknown[] | undefined {
  const seen = f.categories ? new Set(f.categories) : undefined;
  const ranged = f.min !== undefined && f.max !== undefined;
  const slack = ranged ? (f.max! - f.min!) * tolerance : 0;
  const low = ranged ? f.min! - slack : -Infinity;
  const high = ranged ? f.max! + slack : Infinity;
  const never = seen ? `was never seen in training (seen: ${listed(f.categories!)})` : '';
  const outside = `is outside the training range ${f.min}..${f.max}${tolerance ? ` give or take ${Math.round(tolerance * 100)}%` : ''}`;
  const blankWhy = `column '${f.name}' is blank, but training had no missing values there and no imputer fills it`;
  const { note, blanks } = sink;
  const judge = (r: number, value: unknown) => {
    if (seen && !seen.has(String(value))) note(r, `column '${f.name}' = ${shown(value)} ${never}`);
    else if (typeof value === 'number' && (value < low || value > high)) note(r, `column '${f.name}' = ${shown(value)} ${outside}`);
  };
  if (f.type === 'number' || f.type === 'integer') {
    const xs = readNumbers(table, f.name);
    if (xs) {
      const whole = f.type === 'integer';
      for (let r = 0; r < xs.length; r++) {
        const x = xs[r];
        if (x !== x) {
          blanks[r]++;
          if (!f.missingAllowed) note(r, blankWhy);
        } else if (x === Infinity || x === -Infinity) note(r, `column '${f.name}' = ${x} is not a finite number`);
        else if (whole && !Number.isInteger(x)) note(r, `column '${f.name}' = ${x} is not a whole number (training saw only integers)`);
        else if (seen || x < low || x > high) judge(r, x);
      }
      return undefined;
    }
  }
  const values = columnValues(table, f.name);
  const out = new Array<unknown>(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (blank(v)) {
      out[r] = null;
      blanks[r]++;
      if (!f.missingAllowed) note(r, blankWhy);
      continue;
    }
    const c = coerce(v, f.type);
    if (!c.ok) {
      out[r] = null;
      note(r, `column '${f.name}' = ${shown(v)} ${c.why}`);
      if (sink.typeBad.length < 3) sink.typeBad.push(`row ${r + 1}: ${JSON.stringify(v)}`);
      continue;
    }
    out[r] = c.value;
    judge(r, c.value);
  }
  return out;
}
