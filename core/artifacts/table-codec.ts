import { tableFromColumns, tableFromIPC, tableToIPC } from '@uwdata/flechette';
import { fromArrow, toArrow, toArrowIPC, type ColumnTable } from 'arquero';

type ArrowColumn = { type: { typeId: number }; length: number; data: unknown[] };

// A flechette Column with one batch (duck-typed: arquero and this file may each load flechette).
function arrowColumnOf(col: unknown): ArrowColumn | undefined {
  const a = ((col as { arrow?: unknown })?.arrow ?? col) as ArrowColumn;
  if (!a || typeof a !== 'object' || !Array.isArray(a.data) || a.data.length !== 1 || typeof a.type?.typeId !== 'number') return undefined;
  return a;
}

/**
 * A table as Arrow IPC (file format). Columns already held as Arrow buffers (every column of a decoded
 * Table, and the numeric columns loaders and transformers build) are written as they are; only the
 * others are converted, as arquero's toArrowIPC does. Converting every column cell by cell made handing
 * a 1M-row table to the next task cost more than the task.
 * @example
 * const bytes = encodeTable(table); // Uint8Array, readable by any Arrow reader
 */
export function encodeTable(table: ColumnTable): Uint8Array {
  const names = table.columnNames();
  const whole = !table.isFiltered() && !table.isOrdered();
  const arrow = names.map((name) => (whole ? arrowColumnOf(table.column(name)) : undefined));
  const others = names.filter((_, i) => !arrow[i]);
  if (others.length === names.length) return toArrowIPC(table, { format: 'file' }) as Uint8Array;
  const built = others.length ? toArrow(table, { columns: others }) : undefined;
  const columns = names.map((name, i) => [name, arrow[i] ?? built!.getChild(name)] as [string, any]);
  return tableToIPC(tableFromColumns(columns), { format: 'file' }) as Uint8Array;
}

/**
 * An arquero table over the Arrow buffers of IPC bytes (no copy per cell). Dictionary (string) columns
 * get arquero's wrapper, which hides the Arrow column, so it is attached as `arrow` for encodeTable.
 * @example
 * const table = decodeTable(bytes);
 */
export function decodeTable(bytes: Uint8Array): ColumnTable {
  const arrow = tableFromIPC(bytes, { useDate: true });
  const table = fromArrow(arrow as any) as ColumnTable;
  for (const name of table.columnNames()) {
    const col = table.column(name) as unknown as Record<string, unknown>;
    if (col && !Array.isArray(col.data) && !('arrow' in col)) col.arrow = arrow.getChild(name);
  }
  return table;
}
