import type { ColumnTable } from 'arquero';
import { DataError } from '../../core/index.ts';
import type { ProblemSpec } from '../kinds.ts';
import { dense, type Dense } from './_dense.ts';

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
 * The rows of `table` as a Dense matrix in `features` order, with checks
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

/** Per-column mean and population standard deviation, with 1 for a (near-)constant column so scaling never divides by ~0. */
export interface Scaling {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

/**
 * Learns per-column scaling on training rows. A column whose variance is below 1e-12 keeps scale 1:
 * dividing by ~0 would turn rounding noise into signal (or distance).
 * @example
 * fitScaling(dense(2, 2, Float64Array.of(1, 10, 3, 10))); // { mean: [2, 10], std: [1, 1] }
 */
export function fitScaling(x: Dense): { mean: Float64Array; std: Float64Array } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const u = data[i * cols + j] - mean[j];
      std[j] += u * u;
    }
  }
  for (let j = 0; j < cols; j++) std[j] = std[j] / rows > 1e-12 ? Math.sqrt(std[j] / rows) : 1;
  return { mean, std };
}

/**
 * Applies a learned scaling, (x − mean) / std per column, into a new matrix.
 * @example
 * applyScaling(x, fitScaling(x)); // every column mean 0, sd 1
 */
export function applyScaling(x: Dense, s: Scaling): Dense {
  const out = dense(x.rows, x.cols);
  const { cols, data } = x;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = (data[i * cols + j] - s.mean[j]) / s.std[j];
  return out;
}
