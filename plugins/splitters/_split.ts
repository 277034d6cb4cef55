import { DataError } from '../../core/index.ts';
import type { FoldsSpec, ProblemSpec } from '../kinds.ts';
import { categoryKey, isMissing, pickRows, requireColumns, type DataTable } from '../data-table.ts';

/**
 * The rows at `indices` (ascending, so each split keeps the table's order) as a new table.
 * @example
 * takeRows(table, Int32Array.of(0, 2, 5))
 */
export function takeRows(table: DataTable, indices: ArrayLike<number>): DataTable {
  let sorted = true;
  for (let i = 1; i < indices.length && sorted; i++) sorted = indices[i - 1] <= indices[i];
  // Folds hold sorted indices already; sorting a copy of a million with a comparator is not free.
  // (pickRows reads only `length` and `[i]`, so a typed array does for its number[].)
  return pickRows(table, (sorted ? indices : Int32Array.from(indices).sort()) as unknown as readonly number[]);
}

/**
 * How many rows a holdout of `fraction` takes: rounded up (as scikit-learn does), and at least one
 * row left on each side, because an empty train or test split breaks every later task.
 * @example
 * holdoutSize(344, 0.2, 'splitters/train-test') // 69
 */
export function holdoutSize(rows: number, fraction: number, where: string): number {
  if (rows < 2) throw new DataError(`${where}: the table has ${rows} row(s); a split needs at least 2`);
  return Math.min(rows - 1, Math.max(1, Math.ceil(rows * fraction)));
}

/**
 * Row indices grouped by target class, classes in sorted order (missing targets form their own
 * group, so no row is lost). Regression targets cannot be stratified.
 * @example
 * classRows(table, problem) // Map { 'Adelie' => [0, 1, …], 'Chinstrap' => […], … }
 */
export function classRows(table: DataTable, problem: ProblemSpec, where: string): Map<string, number[]> {
  if (problem.task === 'regression') {
    throw new DataError(
      `${where}: the problem is regression, and a continuous target '${problem.target}' has no classes to stratify; ` +
        `use the unstratified splitter`,
    );
  }
  requireColumns(table, [problem.target], where);
  const values = table.array(problem.target) as ArrayLike<unknown>;
  const groups = new Map<string, number[]>();
  for (let row = 0; row < values.length; row++) {
    const key = isMissing(values[row]) ? '(missing)' : categoryKey(values[row]);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(row);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Splits `total` across groups in proportion to their sizes (largest remainder), so per-class test
 * counts add up to exactly the holdout size.
 * @example
 * allocate([152, 68, 124], 69) // [30, 14, 25]
 */
export function allocate(sizes: readonly number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

/**
 * Turns per-fold test rows into a Folds artifact: each fold's train is every other row, both sorted.
 * @example
 * toFolds(6, [[0, 3], [1, 4], [2, 5]]) // folds[0]: { train: Int32Array [1, 2, 4, 5], test: Int32Array [0, 3] }
 */
export function toFolds(rows: number, tests: ArrayLike<number>[]): FoldsSpec {
  const inTest = new Uint8Array(rows);
  return {
    rows,
    folds: tests.map((test) => {
      inTest.fill(0);
      for (let k = 0; k < test.length; k++) inTest[test[k]] = 1;
      let nTest = 0;
      for (let i = 0; i < rows; i++) nTest += inTest[i];
      const train = new Int32Array(rows - nTest);
      const sorted = new Int32Array(nTest);
      let a = 0;
      let b = 0;
      for (let i = 0; i < rows; i++) {
        if (inTest[i]) sorted[b++] = i;
        else train[a++] = i;
      }
      return { train, test: sorted };
    }),
  };
}
