import { table as makeTable, type ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';
import { columnValues, isMissing } from '../data-table.ts';
import { scoreMetric } from '../evaluators/score.ts';
import type { ProblemSpec } from '../kinds.ts';
import type { LoadedModel } from '../serving/load-model.ts';

/** One model's predictions on the held-out rows, row for row (invalid rows have `invalid_reason`). */
export type RowPredictions = Array<Record<string, unknown>>;

/**
 * Predicts every held-out row with a loaded model, the raw rows as the split made them: the bundle
 * applies its own preprocessing. Rows the model refuses (a category or range it never saw) come back
 * with `invalid_reason` rather than failing, so two models can then be scored on the rows both took.
 */
export async function predictHeldOut(model: LoadedModel, rows: ColumnTable): Promise<RowPredictions> {
  return model.predict(rows, { onInvalid: 'null' });
}

/** Rows with a target value that every model predicted: the rows a fair comparison scores on. */
export function commonRows(rows: ColumnTable, problem: ProblemSpec, ...predictions: RowPredictions[]): number[] {
  const actual = columnValues(rows, problem.target);
  const keep: number[] = [];
  for (let i = 0; i < actual.length; i++) {
    if (isMissing(actual[i]) || actual[i] === '') continue;
    if (predictions.every((p) => p[i] !== undefined && !isMissing(p[i]!.predicted) && isMissing(p[i]!.invalid_reason))) keep.push(i);
  }
  return keep;
}

/**
 * The metric of one model's predictions on the rows at `indices`, scored by the evaluators' code
 * (plugins/evaluators/score.ts) against the held-out target.
 */
export function scoreOn(rows: ColumnTable, problem: ProblemSpec, predictions: RowPredictions, indices: readonly number[], metric: string): number {
  if (!rows.columnNames().includes(problem.target)) {
    throw new DataError(`deploy/register: the held-out rows have no target column '${problem.target}'; wire the split's test table (before preprocessing), which keeps the target`);
  }
  const actual = columnValues(rows, problem.target);
  const names = new Set<string>();
  for (const i of indices) for (const k of Object.keys(predictions[i]!)) if (k === 'predicted' || k.startsWith('prob_')) names.add(k);
  const columns: Record<string, unknown[]> = { actual: indices.map((i) => actual[i]) };
  for (const name of names) columns[name] = indices.map((i) => predictions[i]![name] ?? null);
  return scoreMetric(makeTable(columns), problem, metric);
}
