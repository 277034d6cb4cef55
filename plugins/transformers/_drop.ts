import { requireColumns, type DataTable } from '../data-table.ts';

/** Columns a fitted transform removes (identifiers, all-missing columns, user-dropped ones). */
export type DropStep = { type: 'drop'; columns: string[]; reasons?: Record<string, string> };

/**
 * Builds a drop step; the columns must exist in the training table (a typo is caught at fit time).
 * @example
 * fitDrop(train, { columns: ['name'], reasons: { name: 'identifier' } })
 */
export function fitDrop(table: DataTable, opts: { columns: string[]; reasons?: Record<string, string> }): DropStep {
  requireColumns(table, opts.columns, 'drop');
  return opts.reasons ? { type: 'drop', columns: opts.columns, reasons: opts.reasons } : { type: 'drop', columns: opts.columns };
}

/**
 * Removes the columns that are present; an absent one is fine, because data at predict time often
 * arrives without the identifier or empty columns the transform was going to remove anyway.
 * @example
 * applyDrop(table, { type: 'drop', columns: ['name'] })
 */
export function applyDrop(table: DataTable, step: DropStep): DataTable {
  const drop = new Set(step.columns);
  return table.select(table.columnNames().filter((n) => !drop.has(n))) as DataTable;
}
