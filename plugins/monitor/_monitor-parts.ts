/** Pieces of monitorModel: rows to a table, the missing-feature check, scoring labelled rows. */
import { table as makeTable, type ColumnTable } from 'arquero';
import { DataError, type MetricValues } from '../../core/index.ts';
import { scorePredictions } from '../evaluators/score.ts';
import type { ProblemSpec } from '../kinds.ts';

/** Scores of the labelled new rows next to the bundle's own. */
export interface Performance {
  /** Rows scored: labelled and predicted. */
  rows: number;
  /** The problem's metric (e.g. accuracy, rmse): the one to watch. */
  primary: string;
  /** Scores on the new rows (accuracy, f1_macro … or rmse, r2 …; no baselines). */
  metrics: Record<string, number>;
  /** The bundle's recorded metrics for the same names (its test split's, or cross-validated means). */
  reference: Record<string, number>;
  /** metrics − reference, where both exist. */
  difference: Record<string, number>;
}

/** The scores shown besides the problem's own metric. */
const HEADLINE: Record<'classification' | 'regression', string[]> = { classification: ['accuracy', 'f1_macro'], regression: ['r2', 'rmse'] };

/**
 * Objects (JSON rows, a prediction log) → a table whose columns are every key any row has (own
 * properties only), in first-seen order; a key a row lacks is null there.
 * @example
 * tableOfRows([{ a: 1 }, { b: 'x' }]).columnNames() // ['a', 'b']
 */
export function tableOfRows(rows: readonly Record<string, unknown>[]): ColumnTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const columns: Record<string, unknown[]> = Object.create(null);
  for (const name of names) columns[name] = rows.map((r) => (Object.hasOwn(r, name) ? r[name] : null));
  return makeTable(columns, names);
}

/**
 * Throws DataError naming the first monitored feature the rows lack, the model and the columns they have.
 * @example
 * requireFeatures(table, ['Island', 'Sex'], 'penguins');
 */
export function requireFeatures(table: ColumnTable, features: readonly string[], model: string): void {
  const has = table.columnNames();
  const missing = features.filter((f) => !has.includes(f));
  if (missing.length === 0) return;
  const shown = has.length ? `${has.slice(0, 30).map((c) => `'${c}'`).join(', ')}${has.length > 30 ? ', …' : ''}` : 'none';
  throw new DataError(
    `the data has no column ${missing.map((m) => `'${m}'`).join(', ')} (a feature of model ${model}); its columns are: ${shown}. Add the column (a blank value per row is fine).`,
  );
}

/**
 * Scores predictRows' table (`predicted`, `prob_*`, the target column) on the rows that have both a
 * label and a prediction, with the evaluators' scoring. A label set the scorer refuses (a class the
 * model does not know) gives null and a note, not a failed monitor.
 * @example
 * const performance = scoreLabelled(made.predictions, bundle.manifest.problem, bundle.manifest.metrics, notes);
 */
export function scoreLabelled(predictions: ColumnTable, problem: ProblemSpec, reference: MetricValues, notes: string[]): Performance | null {
  const target = problem.target;
  const predicted = predictions.array('predicted') as ArrayLike<unknown>;
  const actual = predictions.array(target) as ArrayLike<unknown>;
  const keep: number[] = [];
  for (let i = 0; i < predicted.length; i++) {
    const a = actual[i];
    if (predicted[i] !== null && predicted[i] !== undefined && a !== null && a !== undefined && a !== '' && !(typeof a === 'number' && Number.isNaN(a))) keep.push(i);
  }
  if (keep.length === 0) {
    notes.push(`the target column '${target}' is present but no predicted row has a label: performance is not scored`);
    return null;
  }
  const regression = problem.task === 'regression';
  const outputs = predictions.columnNames().filter((c) => c === 'predicted' || c.startsWith('prob_'));
  const columns: Record<string, unknown[]> = {};
  for (const c of outputs) {
    const values = predictions.array(c) as ArrayLike<unknown>;
    columns[c] = keep.map((i) => values[i]);
  }
  columns.actual = keep.map((i) => (regression ? actual[i] : String(actual[i])));
  let metrics: MetricValues;
  try {
    metrics = scorePredictions(makeTable(columns), problem);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    notes.push(`the labels could not be scored: ${err.message}`);
    return null;
  }
  const names = [...new Set([problem.metric, ...HEADLINE[regression ? 'regression' : 'classification']])].filter((m) => Number.isFinite(metrics[m]));
  const out: Performance = { rows: keep.length, primary: problem.metric, metrics: {}, reference: {}, difference: {} };
  for (const name of names) {
    out.metrics[name] = metrics[name]!;
    const ref = Object.hasOwn(reference, name) ? reference[name] : undefined;
    if (typeof ref === 'number' && Number.isFinite(ref)) {
      out.reference[name] = ref;
      out.difference[name] = metrics[name]! - ref;
    }
  }
  return out;
}
