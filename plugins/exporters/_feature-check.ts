import type { ColumnTable } from 'arquero';
import type { ColumnSchema } from '../kinds.ts';
import { checkInputRows, type InputRows } from './input-check.ts';

export type { InputRows } from './input-check.ts';

/**
 * Checks input rows against a feature schema alone (no input contract): missing columns fail with a
 * ValidationError, a row with a value of the wrong type or no feature at all fails with a DataError
 * listing the rows; returns the rows with values in the schema's types. Kept for callers of the
 * older API; prediction itself uses checkInputRows (input-check.ts) with the bundle's contract.
 * @example
 * const table = checkFeatures(fromCSV(text), bundle.manifest.features);
 */
export function checkFeatures(input: InputRows, features: readonly ColumnSchema[]): ColumnTable {
  return checkInputRows(input, { features: [...features] }, { onInvalid: 'error' }).table;
}
