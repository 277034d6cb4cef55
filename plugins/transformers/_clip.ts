import { DataError } from '../../core/index.ts';
import { numberColumn } from '../arrow-columns.ts';
import { numericValues, replaceColumns, requireColumns, type DataTable } from '../data-table.ts';
import { mean, present, quantile, std } from './_stats.ts';

export type ClipMethod = 'iqr' | 'zscore';

/** Fitted clipping bounds per column (learned on train; applied unchanged to any table). */
export type ClipStep = {
  type: 'clip';
  method: ClipMethod;
  /** The multiplier used: k for IQR fences, z for z-scores (kept so the state explains itself). */
  factor: number;
  columns: Array<{ column: string; lower: number; upper: number }>;
};

export interface ClipOptions {
  columns: string[];
  method: ClipMethod;
  /** IQR fence multiplier: bounds are q1 − k·IQR and q3 + k·IQR. Default 1.5 (Tukey). */
  k?: number;
  /** z-score limit: bounds are mean ± z·std. Default 3. */
  z?: number;
}

/**
 * Learns lower/upper bounds per numeric column.
 * @example
 * fitClip(train, { columns: ['Body Mass (g)'], method: 'iqr', k: 1.5 })
 */
export function fitClip(table: DataTable, opts: ClipOptions): ClipStep {
  requireColumns(table, opts.columns, 'clip');
  const factor = opts.method === 'iqr' ? (opts.k ?? 1.5) : (opts.z ?? 3);
  return {
    type: 'clip',
    method: opts.method,
    factor,
    columns: opts.columns.map((column) => {
      const xs = present(numericValues(table, column, 'clip'));
      if (xs.length === 0) {
        throw new DataError(`clip: column '${column}' has no values in the training rows; impute or drop it first`);
      }
      if (opts.method === 'iqr') {
        const q1 = quantile(xs, 0.25);
        const q3 = quantile(xs, 0.75);
        return { column, lower: q1 - factor * (q3 - q1), upper: q3 + factor * (q3 - q1) };
      }
      const mu = mean(xs);
      const sd = std(xs, mu);
      return { column, lower: mu - factor * sd, upper: mu + factor * sd };
    }),
  };
}

/**
 * Caps values outside the bounds at the bounds (winsorising). Rows are never dropped: a transform
 * must keep rows aligned with their targets. Missing stays missing.
 * @example
 * applyClip(test, step)
 */
export function applyClip(table: DataTable, step: ClipStep): DataTable {
  requireColumns(table, step.columns.map((c) => c.column), 'apply clip');
  const out = new Map<string, Record<string, unknown>>();
  for (const { column, lower, upper } of step.columns) {
    const xs = numericValues(table, column, 'apply clip');
    for (let i = 0; i < xs.length; i++) if (xs[i] === xs[i]) xs[i] = clipped(xs[i], lower, upper);
    out.set(column, { [column]: numberColumn(xs) });
  }
  return replaceColumns(table, out);
}

/**
 * One value held within [lower, upper]. Shared with the column-array path (columns-transform.ts).
 * @example
 * clipped(12, 0, 10); // 10
 */
export function clipped(x: number, lower: number, upper: number): number {
  return Math.min(upper, Math.max(lower, x));
}
