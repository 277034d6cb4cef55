import { DataError } from '../../core/index.ts';
import { numberColumn, readNumbers } from '../arrow-columns.ts';
import { columnKind, columnValues, isMissing, replaceColumns, requireColumns, type ColumnKind, type DataTable } from '../data-table.ts';
import { mean, median, mostFrequent, present as presentNumbers } from './_stats.ts';

export type ImputeMethod = 'mean' | 'median' | 'most_frequent' | 'constant';
export type FillValue = number | string | boolean;

/** Fitted imputation: the value each column's missing cells become. */
export type ImputeStep = {
  type: 'impute';
  columns: Array<{ column: string; method: ImputeMethod; value: FillValue }>;
};

export interface ImputeOptions {
  columns: Array<{ column: string; method: ImputeMethod }>;
  /** For 'constant': defaults to 0 for numeric columns and 'missing' for categorical ones. */
  fillValue?: FillValue;
}

/**
 * Learns each column's fill value from `table` (the training split).
 * @example
 * fitImpute(train, { columns: [{ column: 'Body Mass (g)', method: 'median' }] })
 * // { type: 'impute', columns: [{ column: 'Body Mass (g)', method: 'median', value: 4050 }] }
 */
export function fitImpute(table: DataTable, opts: ImputeOptions): ImputeStep {
  requireColumns(table, opts.columns.map((c) => c.column), 'impute');
  return {
    type: 'impute',
    columns: opts.columns.map(({ column, method }) => ({
      column,
      method,
      value: fillValueFor(table, column, method, opts.fillValue),
    })),
  };
}

function fillValueFor(table: DataTable, column: string, method: ImputeMethod, fill?: FillValue): FillValue {
  let kind: ColumnKind;
  let present: FillValue[] | Float64Array;
  const numbers = readNumbers(table, column);
  if (numbers) {
    present = presentNumbers(numbers);
    kind = present.length ? 'numeric' : 'empty';
  } else {
    const values = columnValues(table, column);
    kind = columnKind(values);
    present = values.filter((v) => !isMissing(v)) as FillValue[];
  }
  if (method === 'constant') {
    const value = fill ?? (kind === 'numeric' ? 0 : 'missing');
    if (kind === 'numeric' && typeof value !== 'number') {
      throw new DataError(`impute: column '${column}' is numeric; fillValue must be a number, got ${JSON.stringify(value)}`);
    }
    if (kind === 'categorical' && typeof value === 'number') {
      throw new DataError(`impute: column '${column}' is categorical; fillValue must be a string or boolean, got ${value}`);
    }
    return value;
  }
  if (present.length === 0) {
    throw new DataError(
      `impute: column '${column}' has no values in the training rows, so '${method}' has nothing to learn from; ` +
        `drop it (cleaners/drop-columns) or use method 'constant'`,
    );
  }
  if (method === 'most_frequent') return mostFrequent(Array.from(present as ArrayLike<FillValue>));
  if (kind !== 'numeric') {
    throw new DataError(
      `impute: column '${column}' is ${kind}; '${method}' needs numbers. Use 'most_frequent' or 'constant' for it`,
    );
  }
  return method === 'mean' ? mean(present as ArrayLike<number>) : median(present as ArrayLike<number>);
}

/**
 * Fills missing cells with the fitted values; present cells are untouched.
 * @example
 * applyImpute(test, step)
 */
export function applyImpute(table: DataTable, step: ImputeStep): DataTable {
  requireColumns(table, step.columns.map((c) => c.column), 'apply impute');
  const out = new Map<string, Record<string, unknown>>();
  for (const { column, value } of step.columns) {
    const numbers = typeof value === 'number' ? readNumbers(table, column) : undefined;
    if (numbers) {
      for (let i = 0; i < numbers.length; i++) if (numbers[i] !== numbers[i]) numbers[i] = value as number;
      out.set(column, { [column]: numberColumn(numbers) });
    } else {
      out.set(column, { [column]: columnValues(table, column).map((v) => (isMissing(v) ? value : v)) });
    }
  }
  return replaceColumns(table, out);
}
