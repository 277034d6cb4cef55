import { DataError } from '../../core/index.ts';
import { numberColumn } from '../arrow-columns.ts';
import { numericValues, replaceColumns, requireColumns, type DataTable } from '../data-table.ts';
import { mean, present, std } from './_stats.ts';

/** Fitted standardisation: each column's train mean and population std. */
export type StandardizeStep = { type: 'standardize'; columns: Array<{ column: string; mean: number; std: number }> };

/** Fitted min-max scaling: each column's train min and max. */
export type MinMaxStep = { type: 'minmax'; columns: Array<{ column: string; min: number; max: number }> };

function trainValues(table: DataTable, column: string, where: string): Float64Array {
  const xs = present(numericValues(table, column, where));
  if (xs.length === 0) {
    throw new DataError(`${where}: column '${column}' has no values in the training rows; impute or drop it first`);
  }
  return xs;
}

/**
 * Learns mean and std per column.
 * @example
 * fitStandardize(train, { columns: ['Flipper Length (mm)'] })
 */
export function fitStandardize(table: DataTable, opts: { columns: string[] }): StandardizeStep {
  requireColumns(table, opts.columns, 'standardize');
  return {
    type: 'standardize',
    columns: opts.columns.map((column) => {
      const xs = trainValues(table, column, 'standardize');
      const mu = mean(xs);
      return { column, mean: mu, std: std(xs, mu) };
    }),
  };
}

/**
 * (x − mean) / std with the fitted numbers; a constant train column (std 0) is only centred, since
 * dividing by 0 would turn every value into NaN. Missing stays missing.
 * @example
 * applyStandardize(test, step)
 */
export function applyStandardize(table: DataTable, step: StandardizeStep): DataTable {
  return mapColumns(table, step.columns, 'apply standardize', (c) => (x) => standardized(x, c));
}

/**
 * Learns min and max per column.
 * @example
 * fitMinMax(train, { columns: ['Body Mass (g)'] })
 */
export function fitMinMax(table: DataTable, opts: { columns: string[] }): MinMaxStep {
  requireColumns(table, opts.columns, 'minmax');
  return {
    type: 'minmax',
    columns: opts.columns.map((column) => {
      const xs = trainValues(table, column, 'minmax');
      // A loop, not Math.min(...xs): spreading a large column overflows the call stack.
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] < min) min = xs[i];
        if (xs[i] > max) max = xs[i];
      }
      return { column, min, max };
    }),
  };
}

/**
 * (x − min) / (max − min) with the train min and max; values outside the train range map outside
 * [0, 1] on purpose (clipping would hide drift). A constant train column (range 0) maps to 0.
 * @example
 * applyMinMax(test, step)
 */
export function applyMinMax(table: DataTable, step: MinMaxStep): DataTable {
  return mapColumns(table, step.columns, 'apply minmax', (c) => (x) => minMaxScaled(x, c));
}

function mapColumns<C extends { column: string }>(
  table: DataTable,
  columns: C[],
  where: string,
  fn: (c: C) => (x: number) => number,
): DataTable {
  requireColumns(table, columns.map((c) => c.column), where);
  const out = new Map<string, Record<string, unknown>>();
  for (const c of columns) {
    const f = fn(c);
    const xs = numericValues(table, c.column, where);
    // NaN (missing) stays NaN, which numberColumn writes as null.
    for (let i = 0; i < xs.length; i++) if (xs[i] === xs[i]) xs[i] = f(xs[i]);
    out.set(c.column, { [c.column]: numberColumn(xs) });
  }
  return replaceColumns(table, out);
}

/**
 * (x − mean) / std, or x − mean for a constant column. When x − mean overflows (values of opposite
 * sign near 1e308) it is computed as x/std − mean/std, which stays finite for any finite inputs.
 * Shared with the column-array path (columns-transform.ts) so both compute the same bits.
 * @example
 * standardized(5, { mean: 3, std: 2 }); // 1
 */
export function standardized(x: number, c: { mean: number; std: number }): number {
  if (c.std === 0) return x - c.mean;
  const d = x - c.mean;
  return Number.isFinite(d) ? d / c.std : x / c.std - c.mean / c.std;
}

/**
 * One value min-max scaled: (x − min) / (max − min), 0 for a constant train column. Shared with the
 * column-array path (columns-transform.ts) so both compute the same bits.
 * @example
 * minMaxScaled(5, { min: 0, max: 10 }); // 0.5
 */
export function minMaxScaled(x: number, c: { min: number; max: number }): number {
  return c.max === c.min ? 0 : (x - c.min) / (c.max - c.min);
}
