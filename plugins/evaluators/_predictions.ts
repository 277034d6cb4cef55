import type { ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';

/**
 * Reads a column as an array, or fails with a message naming the column and what was found: the
 * predictions table contract (`predicted`, `actual`, `prob_<class>`) is easy to break upstream.
 * @example
 * const actual = column(predictions, 'actual', 'evaluators/classification');
 */
export function column(table: ColumnTable, name: string, where: string): unknown[] {
  if (!table.columnNames().includes(name)) {
    throw new DataError(
      `${where}: the table has no column '${name}' (columns: ${table.columnNames().join(', ') || 'none'}); ` +
        `a predictions table needs 'predicted', 'actual' and, for classifiers, 'prob_<class>' columns`,
    );
  }
  return Array.from(table.array(name) as ArrayLike<unknown>);
}

/**
 * Reads a column as numbers, failing on values that are not numeric (null, text): a regression
 * metric over a silently dropped or NaN row would be wrong without anyone noticing.
 * @example
 * const actual = numericColumn(predictions, 'actual', 'evaluators/regression');
 */
export function numericColumn(table: ColumnTable, name: string, where: string): number[] {
  const values = column(table, name, where).map((v) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : Number.NaN));
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new DataError(`${where}: column '${name}' row ${bad} is not a finite number (${String(column(table, name, where)[bad])})`);
  }
  return values;
}

/**
 * Class label as the contract stores it: a string (numbers and booleans are stringified).
 * @example
 * label(1) // '1'
 */
export function label(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Keeps every `step`-th item so that at most `max` remain: the report's scatter plot needs the
 * shape of the data, not every row, and details must stay small.
 * @example
 * capEvenly([...Array(5000).keys()], 2000).length // 2000
 */
export function capEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, k) => items[Math.floor(k * step)]!);
}

/**
 * Drops NaN entries: Metrics are JSON, where NaN would become null; an undefined metric is absent.
 * @example
 * finiteOnly({ accuracy: 0.9, roc_auc: NaN }) // { accuracy: 0.9 }
 */
export function finiteOnly(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => Number.isFinite(v)));
}
