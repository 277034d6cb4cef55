/**
 * The numeric currency of the algorithms: a dense row-major matrix of float64. Every solver trains
 * on one and every predictor returns one, so rows are never boxed into `number[][]` (which costs an
 * object per row and defeats the JIT's typed-array loops on 100k-row tables).
 */

/** A row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * A matrix of zeros, or a view over `data` (not copied) when given.
 * @example
 * const m = dense(2, 3); m.data[1 * 3 + 2] = 5; // row 1, column 2
 */
export function dense(rows: number, cols: number, data?: Float64Array): Dense {
  const buf = data ?? new Float64Array(rows * cols);
  if (buf.length !== rows * cols) throw new RangeError(`dense: ${rows}×${cols} needs ${rows * cols} values, got ${buf.length}`);
  return { rows, cols, data: buf };
}

/**
 * Copies rows of numbers (all the same length) into a Dense matrix.
 * @example
 * denseFromRows([[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 */
export function denseFromRows(rows: ArrayLike<ArrayLike<number>>, cols = rows[0]?.length ?? 0): Dense {
  const out = dense(rows.length, cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length !== cols) throw new RangeError(`denseFromRows: row ${i} has ${r.length} values, expected ${cols}`);
    out.data.set(r as ArrayLike<number>, i * cols);
  }
  return out;
}

/**
 * The matrix as rows of plain numbers (for tests and small outputs).
 * @example
 * toRows(dense(1, 2, Float64Array.of(1, 2))); // [[1, 2]]
 */
export function toRows(m: Dense): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}
