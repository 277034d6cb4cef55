import type { ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { dense, type Dense } from './_dense.ts';

/** Rows of checked numeric feature values: what every algorithm trains and predicts on. */
export type Matrix = number[][];

/**
 * The feature columns of a training table: every column except the target, in table order.
 * @example
 * featureNames(train, problem); // ['sepal_length', 'sepal_width', …]
 */
export function featureNames(table: ColumnTable, problem: ProblemSpec): string[] {
  const names = table.columnNames();
  if (!names.includes(problem.target)) {
    throw new DataError(`training table has no target column '${problem.target}' (columns: ${names.join(', ')})`);
  }
  const features = names.filter((n) => n !== problem.target);
  if (features.length === 0) throw new DataError(`training table has no feature columns besides the target '${problem.target}'`);
  return features;
}

/**
 * The rows of `table` as numeric feature vectors, in `features` order. A missing column, a null or a
 * non-number fails the task at once: retrying cannot fix data, preprocessing can.
 * @example
 * const X = featureMatrix(train, ['x1', 'x2']); // [[0.1, 3], [0.4, 2], …]
 */
export function featureMatrix(table: ColumnTable, features: string[]): Matrix {
  const missing = features.filter((f) => !table.columnNames().includes(f));
  if (missing.length) {
    throw new DataError(`table lacks the model's feature columns: ${missing.join(', ')}; it must have the columns the model was trained on`);
  }
  const n = table.numRows();
  const rows: Matrix = Array.from({ length: n }, () => new Array<number>(features.length));
  features.forEach((name, j) => {
    const values = table.array(name) as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) rows[i][j] = toNumber(values[i], name, i);
  });
  return rows;
}

/**
 * The rows of `table` as a Dense matrix in `features` order, with the same checks as `featureMatrix`
 * (a missing column, a null or a non-number fails naming the column and row). Numeric columns are
 * copied straight from their typed arrays.
 * @example
 * const x = featureDense(train, ['x1', 'x2']); // x.data[i * 2 + j]
 */
export function featureDense(table: ColumnTable, features: string[]): Dense {
  const names = new Set(table.columnNames());
  const missing = features.filter((f) => !names.has(f));
  if (missing.length) {
    throw new DataError(`table lacks the model's feature columns: ${missing.join(', ')}; it must have the columns the model was trained on`);
  }
  const n = table.numRows();
  const d = features.length;
  const out = dense(n, d);
  const data = out.data;
  for (let j = 0; j < d; j++) {
    const values = table.array(features[j]) as ArrayLike<unknown>;
    if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v - v !== 0) toNumber(v, features[j], i); // NaN or ±Infinity: throws with the row
        data[i * d + j] = v;
      }
    } else {
      for (let i = 0; i < n; i++) data[i * d + j] = toNumber(values[i], features[j], i);
    }
  }
  return out;
}

function toNumber(v: unknown, column: string, row: number): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'number' && !Number.isNaN(v)) throw new DataError(`feature column '${column}' holds ${v} at row ${row}; features must be finite numbers`);
  if (typeof v === 'bigint') return Number(v);
  const fix = 'add transformers (impute, encode) or auto-preprocess before the algorithm';
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
    throw new DataError(`feature column '${column}' has a missing value at row ${row}: ${fix}`);
  }
  throw new DataError(`feature column '${column}' is not numeric (row ${row} holds ${JSON.stringify(String(v))}): ${fix}`);
}

/**
 * Target labels as indices into `problem.classes`, comparing as strings (labels may be numbers).
 * @example
 * classIndices(train, problem); // [0, 0, 2, 1, …]
 */
export function classIndices(table: ColumnTable, problem: ProblemSpec): number[] {
  const classes = problem.classes ?? [];
  if (classes.length < 2) {
    throw new DataError(`problem '${problem.task}' needs at least 2 classes in problem.classes, got ${JSON.stringify(classes)}`);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const values = table.array(problem.target) as ArrayLike<unknown>;
  return Array.from(values, (v, row) => {
    const i = v === null || v === undefined ? undefined : index.get(String(v));
    if (i === undefined) {
      throw new DataError(
        `target '${problem.target}' row ${row} holds ${JSON.stringify(v)}, which is not one of problem.classes ${JSON.stringify(classes)}`,
      );
    }
    return i;
  });
}

/**
 * Numeric regression targets; a null or non-number fails the task.
 * @example
 * targetValues(train, problem); // [18, 15, 16, …]
 */
export function targetValues(table: ColumnTable, problem: ProblemSpec): number[] {
  const values = table.array(problem.target) as ArrayLike<unknown>;
  return Array.from(values, (v, row) => {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    throw new DataError(`regression target '${problem.target}' row ${row} holds ${JSON.stringify(v)}; it must be a finite number`);
  });
}

/** Per-column mean and standard deviation (population), with 1 for constant columns so scaling never divides by 0. */
export interface Scaling {
  mean: number[];
  std: number[];
}

/**
 * Learns per-column scaling on training rows.
 * @example
 * const s = fitScaling([[1, 10], [3, 10]]); // { mean: [2, 10], std: [1, 1] }
 */
export function fitScaling(rows: Matrix): Scaling {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j] += (r[j] - mean[j]) ** 2 / rows.length;
  return { mean, std: std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/**
 * Applies a learned scaling: (x - mean) / std per column.
 * @example
 * applyScaling([[3, 10]], { mean: [2, 10], std: [1, 1] }); // [[1, 0]]
 */
export function applyScaling(rows: Matrix, s: Scaling): Matrix {
  return rows.map((r) => r.map((v, j) => (v - s.mean[j]) / s.std[j]));
}
