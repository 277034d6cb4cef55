import { DataError } from '../../core/index.ts';
import type { TransformSpec } from '../kinds.ts';
import { applyStep, fitDrop, fitImpute, fitMinMax, fitOneHot, fitOrdinal, fitStandardize, type Step } from './steps.ts';
import { columnKind, columnValues, isMissing, kindOf, requireColumns, type DataTable } from '../data-table.ts';

export interface AutoOptions {
  target: string;
  impute: 'median' | 'mean' | 'most_frequent';
  scale: 'standard' | 'minmax' | 'none';
  encode: 'onehot' | 'ordinal';
  drop: string[];
}

/**
 * Below this many present values, all-distinct strings are as likely a small categorical column as
 * an identifier, so they are kept.
 * @example
 * dropReason(tenDistinctNames) // 'identifier (all values distinct)'
 */
export const MIN_IDENTIFIER_ROWS = 10;

/**
 * A text column with at least this share of distinct values among its present values is treated as free
 * text or a near-identifier (car model names): one-hot encoding it would add a column per row and
 * let the model memorise rows instead of learning.
 */
export const MAX_CATEGORY_SHARE = 0.5;

/**
 * Why a column cannot be a feature, or undefined when it can: all missing, an identifier (strings,
 * all distinct) or near-identifier text (mostly distinct), or a type no step handles (dates, objects).
 * @example
 * dropReason(['Ann', 'Bob', …]) // 'identifier (all values distinct)'
 */
export function dropReason(values: readonly unknown[]): string | undefined {
  const kind = columnKind(values);
  if (kind === 'empty') return 'all values missing';
  if (kind === 'other') return 'unsupported type (not number, string or boolean)';
  const present = values.filter((v) => !isMissing(v));
  if (present.length >= MIN_IDENTIFIER_ROWS && present.every((v) => typeof v === 'string')) {
    const distinct = new Set(present).size;
    if (distinct === present.length) return 'identifier (all values distinct)';
    if (distinct >= present.length * MAX_CATEGORY_SHARE) {
      return `high-cardinality text (${distinct} distinct values in ${present.length} rows; at least ${MAX_CATEGORY_SHARE * 100}% distinct)`;
    }
  }
  return undefined;
}

/**
 * Fits the standard preprocessing chain on `train`: drop → impute → encode → scale. Each step is
 * fitted on the output of the previous ones (scaling sees imputed values), exactly as applyTransform
 * will replay them, and never on the target.
 * @example
 * const { spec } = fitAutoPreprocess(train, { target: 'Species', impute: 'median', scale: 'standard', encode: 'onehot', drop: [] });
 */
export function fitAutoPreprocess(train: DataTable, opts: AutoOptions): { spec: TransformSpec; reasons: Record<string, string> } {
  const where = 'transformers/auto-preprocess';
  requireColumns(train, [opts.target, ...opts.drop], where);
  if (opts.drop.includes(opts.target)) {
    throw new DataError(`${where}: params.drop includes the target '${opts.target}'; the target is kept untouched. Remove it from drop`);
  }
  // Keyed by column names from the data: a null prototype, so a column named 'constructor' or
  // '__proto__' is a key like any other instead of finding (or replacing) Object.prototype's.
  const reasons: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const c of opts.drop) reasons[c] = 'listed in params.drop';
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const name of train.columnNames()) {
    if (name === opts.target || Object.hasOwn(reasons, name)) continue;
    const kind = kindOf(train, name);
    // Numbers are never identifiers or free text, so only other columns need dropReason's scan.
    const reason = kind === 'numeric' ? undefined : dropReason(columnValues(train, name));
    if (reason) reasons[name] = reason;
    else (kind === 'numeric' ? numeric : categorical).push(name);
  }

  const steps: Step[] = [];
  let table = train;
  const add = (step: Step) => {
    steps.push(step);
    table = applyStep(table, step);
  };
  if (Object.keys(reasons).length) add(fitDrop(table, { columns: Object.keys(reasons), reasons }));
  const imputeColumns = [
    ...numeric.map((column) => ({ column, method: opts.impute })),
    ...categorical.map((column) => ({ column, method: 'most_frequent' as const })),
  ];
  // Order by table position so the step reads like the table.
  imputeColumns.sort((a, b) => train.columnNames().indexOf(a.column) - train.columnNames().indexOf(b.column));
  if (imputeColumns.length) add(fitImpute(table, { columns: imputeColumns }));
  if (categorical.length) add(opts.encode === 'onehot' ? fitOneHot(table, { columns: categorical }) : fitOrdinal(table, { columns: categorical }));
  if (numeric.length && opts.scale !== 'none') {
    add(opts.scale === 'standard' ? fitStandardize(table, { columns: numeric }) : fitMinMax(table, { columns: numeric }));
  }
  return { spec: { steps }, reasons };
}
