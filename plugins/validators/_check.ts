import type { ColumnTable } from 'arquero';
import type { ColumnSchema, DataSchemaSpec } from '../kinds.ts';
import { columnValues, fitsType, isMissing, jsonSafe } from './_values.ts';

/** What can be wrong with a column compared with its schema. */
export type ViolationKind = 'missing-column' | 'wrong-type' | 'below-min' | 'above-max' | 'unseen-category' | 'unexpected-missing';

/** One kind of problem in one column: how many cells, and the first few (row is 0-based). */
export interface Violation {
  column: string;
  kind: ViolationKind;
  count: number;
  examples: Array<{ row: number; value: string | number | boolean | null }>;
  message: string;
}

/** The result of checkTable; JSON-serialisable, so it is the check-schema task's report as is. */
export interface CheckReport {
  ok: boolean;
  rows: number;
  violationCount: number;
  /** In schema column order, then by kind. */
  violations: Violation[];
}

/** Options of checkTable. */
export interface CheckOptions {
  /** Accept string/boolean values outside the schema's categories. Default false. */
  allowNewCategories?: boolean;
  /** Examples kept per violation. Default 5. */
  maxExamples?: number;
}

/**
 * Checks a table against a DataSchema: missing columns, wrong types, numbers outside [min, max],
 * unseen categories, and missing values in columns that had none. Columns the schema does not
 * know are ignored (extra inputs are harmless to a model that selects its features).
 * @example
 * const report = checkTable(incoming, schema, { allowNewCategories: false });
 * if (!report.ok) console.error(formatViolations(report));
 */
export function checkTable(table: ColumnTable, schema: DataSchemaSpec, options: CheckOptions = {}): CheckReport {
  const maxExamples = options.maxExamples ?? 5;
  const rows = table.numRows();
  const present = new Set(table.columnNames());
  const violations: Violation[] = [];
  for (const col of schema.columns) {
    if (!present.has(col.name)) {
      violations.push({ column: col.name, kind: 'missing-column', count: rows, examples: [],
        message: `column '${col.name}' is missing (the schema has it as ${col.type})` });
      continue;
    }
    const found = new Map<ViolationKind, Violation>();
    const add = (kind: ViolationKind, row: number, value: unknown) => {
      let v = found.get(kind);
      if (!v) found.set(kind, (v = { column: col.name, kind, count: 0, examples: [], message: '' }));
      v.count++;
      if (v.examples.length < maxExamples) v.examples.push({ row, value: jsonSafe(value) });
    };
    const categories = col.categories && !options.allowNewCategories ? new Set(col.categories) : undefined;
    columnValues(table, col.name).forEach((value, row) => {
      if (isMissing(value)) {
        if (col.missingRatio === 0) add('unexpected-missing', row, value);
      } else if (!fitsType(value, col.type)) {
        add('wrong-type', row, value);
      } else if (col.min !== undefined && Number(value) < col.min) {
        add('below-min', row, value);
      } else if (col.max !== undefined && Number(value) > col.max) {
        add('above-max', row, value);
      } else if (categories && !categories.has(String(value))) {
        add('unseen-category', row, value);
      }
    });
    for (const v of found.values()) violations.push({ ...v, message: describe(v, col) });
  }
  const order: ViolationKind[] = ['missing-column', 'wrong-type', 'unexpected-missing', 'below-min', 'above-max', 'unseen-category'];
  const columnOrder = new Map(schema.columns.map((c, i) => [c.name, i]));
  violations.sort((a, b) => columnOrder.get(a.column)! - columnOrder.get(b.column)! || order.indexOf(a.kind) - order.indexOf(b.kind));
  return { ok: violations.length === 0, rows, violationCount: violations.length, violations };
}

function describe(v: Violation, col: ColumnSchema): string {
  const n = `${v.count} value${v.count === 1 ? '' : 's'}`;
  const eg = v.examples.map((e) => `row ${e.row}: ${JSON.stringify(e.value)}`).join(', ');
  const cats = col.categories ?? [];
  const what: Record<ViolationKind, string> = {
    'missing-column': '',
    'wrong-type': `${n} not of type ${col.type}`,
    'below-min': `${n} below the minimum ${col.min}`,
    'above-max': `${n} above the maximum ${col.max}`,
    'unseen-category': `${n} outside the ${cats.length} known categories (${cats.slice(0, 10).join(', ')}${cats.length > 10 ? ', …' : ''})`,
    'unexpected-missing': `${n} missing, but the schema saw no missing values`,
  };
  return `column '${col.name}': ${what[v.kind]} (e.g. ${eg})`;
}

/**
 * The violations as indented lines, for error messages and logs.
 * @example
 * formatViolations(report); // "  - column 'x': 2 values above the maximum 5 (e.g. row 3: 9)\n…"
 */
export function formatViolations(report: CheckReport): string {
  return report.violations.map((v) => `  - ${v.message}`).join('\n');
}
