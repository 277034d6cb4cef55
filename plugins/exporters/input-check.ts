import { from, type ColumnTable } from 'arquero';
import { DataError, ValidationError } from '../../core/index.ts';
import { pickRows } from '../data-table.ts';
import { readInputContract } from './_input-contract.ts';
import { checkColumn } from './_input-column.ts';
import type { BundleManifest, FeatureContract } from './_manifest.ts';

/** Rows as read from JSON, or a table. */
export type InputRows = ColumnTable | Array<Record<string, unknown>>;

/** What to do with a row the model never saw the like of: refuse the input, drop the row, or predict it as empty. */
export type OnInvalid = 'error' | 'skip' | 'null';

/** How far past the training range a number may go, as a fraction of the range's width on each side. */
export const DEFAULT_RANGE_TOLERANCE = 0.1;

/** The parts of a bundle manifest the check reads (a whole BundleManifest will do). */
export type ContractSource = Pick<BundleManifest, 'features' | 'inputContract'> & { name?: string };

/** One invalid input row: its 1-based number among the data rows, its line in the file when known, and why. */
export interface InvalidRow {
  row: number;
  line?: number;
  reasons: string[];
}

/** Options of {@link checkInputRows}. */
export interface CheckInputOptions {
  /** Default 'error': any invalid row fails the whole input with a DataError listing them. */
  onInvalid?: OnInvalid;
  /** Default {@link DEFAULT_RANGE_TOLERANCE}; 0 means exactly the training range. */
  rangeTolerance?: number;
  /** The file line a 0-based row starts on (readTable's lineOf), for messages. */
  lineOf?: (row: number) => number | undefined;
}

/** What {@link checkInputRows} returns. */
export interface CheckedInput {
  /** The valid rows, features in their training types; other columns as they came. */
  table: ColumnTable;
  /** 0-based input index of each row of `table`. */
  kept: number[];
  invalid: InvalidRow[];
  /** Said to the user once (a bundle too old to record what training saw). */
  notes: string[];
}

/**
 * Checks new rows against what the model saw in training (the bundle manifest's input contract):
 * a missing feature column fails the whole input (ValidationError); then per row, a value of the
 * wrong type, a non-integer in an integer column, a category training never saw, a number beyond the
 * training range (plus `rangeTolerance` of its width), a blank where training had no missing values
 * and no imputer, and an all-blank row are invalid. With `onInvalid: 'error'` any invalid row throws
 * a DataError listing the first ten (`row 12 (line 13): column 'Island' = "Atlantis" was never seen
 * in training (seen: Biscoe, Dream, Torgersen)`) and the count; otherwise they are returned and left
 * out of `table`. A bundle without a contract (written before it existed) gets type checks only.
 * Serving uses this same function.
 * @example
 * const { table, invalid } = checkInputRows(rows, bundle.manifest, { onInvalid: 'skip', lineOf });
 */
export function checkInputRows(
  input: InputRows,
  manifest: ContractSource,
  options: CheckInputOptions = {},
): CheckedInput {
  const table = Array.isArray(input) ? from(input) : input;
  const { fixed, kept, invalid, notes } = checkInputColumns(table, manifest, options);
  const typed = Object.keys(fixed).length ? table.assign(fixed) : table;
  return { table: kept.length === table.numRows() ? typed : pickRows(typed, kept), kept, invalid, notes };
}

/** {@link checkInputRows}'s verdict before it builds the table: the retyped feature columns by name (all rows). */
export interface CheckedColumns {
  /** Feature columns whose values change type (all input rows); the other columns stay as they came. */
  fixed: Record<string, unknown[]>;
  kept: number[];
  invalid: InvalidRow[];
  notes: string[];
}

/**
 * {@link checkInputRows} without building the checked table (same checks, same errors): for callers
 * that read the columns as arrays anyway (exporters/_fast-predict.ts).
 * @example
 * const { fixed, kept } = checkInputColumns(from(rows), bundle.manifest, { onInvalid: 'null' });
 */
export function checkInputColumns(table: ColumnTable, manifest: ContractSource, options: CheckInputOptions = {}): CheckedColumns {
  const tolerance = options.rangeTolerance ?? DEFAULT_RANGE_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new ValidationError(`checkInputRows: rangeTolerance must be a finite number >= 0, got ${tolerance}`);
  }
  const policy = options.onInvalid ?? 'error';
  if (policy !== 'error' && policy !== 'skip' && policy !== 'null') {
    throw new ValidationError(`checkInputRows: onInvalid must be 'error', 'skip' or 'null', got ${JSON.stringify(policy)}`);
  }
  const { features, notes } = contractOf(manifest);
  const names = new Set(table.columnNames());
  const n = table.numRows();
  const reasons = new Map<number, string[]>();
  const blanks = new Int32Array(n);
  const typeBad = new Map<string, string[]>();
  const fixed: Record<string, unknown[]> = {};
  const note = (row: number, why: string) => {
    const list = reasons.get(row);
    if (list) list.push(why);
    else reasons.set(row, [why]);
  };
  for (const f of features.filter((feature) => names.has(feature.name))) {
    const sink = { note, blanks, typeBad: [] as string[] };
    const typed = checkColumn(table, f, tolerance, sink);
    if (typed) fixed[f.name] = typed;
    if (sink.typeBad.length) typeBad.set(f.name, sink.typeBad);
  }
  const missing = features.filter((f) => !names.has(f.name)).map((f) => f.name);
  if (missing.length) throw structuralError(missing, typeBad, features);
  if (features.length) {
    // A row with no feature at all carries nothing to predict from, whatever imputers would fill in.
    for (let r = 0; r < n; r++) if (blanks[r] === features.length) reasons.set(r, ['every feature is blank']);
  }
  const invalid = [...reasons.keys()].sort((a, b) => a - b)
    .map((r) => ({ row: r + 1, line: options.lineOf?.(r), reasons: reasons.get(r)! }));
  if (invalid.length && policy === 'error') {
    throw new DataError(`${describeInvalid(invalid, n)}\nFix these rows, or choose what to do with invalid rows: `
      + `--on-invalid skip (leave them out) or --on-invalid null (keep them with an empty prediction and the reason).`);
  }
  const kept: number[] = [];
  for (let r = 0; r < n; r++) if (!reasons.has(r)) kept.push(r);
  return { fixed, kept, invalid, notes };
}

/**
 * How many rows are invalid and the first `max` of them, one per line.
 * @example
 * describeInvalid(invalid, 115)
 * // "2 of 115 input rows are not like the training data:\n  row 12 (line 13): column 'Island' = …"
 */
export function describeInvalid(invalid: readonly InvalidRow[], total: number, max = 10): string {
  const lines = invalid.slice(0, max).map((i) => `  ${rowLabel(i)}: ${i.reasons.join('; ')}`);
  if (invalid.length > max) lines.push(`  … and ${invalid.length - max} more invalid row(s)`);
  return `${invalid.length} of ${total} input rows are not like the training data:\n${lines.join('\n')}`;
}

/**
 * `row 12 (line 13)`, or `row 12` where the format has no lines.
 * @example
 * rowLabel({ row: 12, line: 13, reasons: [] }); // 'row 12 (line 13)'
 */
export function rowLabel(i: InvalidRow): string {
  return i.line === undefined ? `row ${i.row}` : `row ${i.row} (line ${i.line})`;
}

/** The manifest's contract, or for an old bundle the schema's types only, with a note saying so. */
function contractOf(manifest: ContractSource): { features: FeatureContract[]; notes: string[] } {
  const contract = readInputContract(manifest, manifest.name ?? '(unnamed)');
  if (contract) return { features: contract.features, notes: [] };
  return {
    features: manifest.features.map((f) => ({ name: f.name, type: f.type, missingAllowed: true })),
    notes: ['this bundle was exported before input contracts: only columns and types are checked, not categories, '
      + 'ranges or missing values. Re-export it with this mlcycle to check them.'],
  };
}

function structuralError(missing: string[], typeBad: Map<string, string[]>, features: FeatureContract[]): ValidationError {
  const problems = [`missing column(s): ${missing.map((m) => `'${m}'`).join(', ')}`];
  for (const [name, bad] of typeBad) {
    const type = features.find((f) => f.name === name)!.type;
    problems.push(`column '${name}' must hold ${type} values (${bad.join('; ')})`);
  }
  return new ValidationError(`input does not match the bundle's feature schema: ${problems.join('; ')}. `
    + `Expected columns: ${features.map((f) => `${f.name} (${f.type})`).join(', ')}.`);
}
