import { DataError, defineTask, Table, Type } from '../../core/index.ts';
import { Problem, type ProblemSpec } from '../kinds.ts';
import { readNumbers } from '../arrow-columns.ts';

const CLASSIFICATION_METRICS = ['accuracy', 'balanced_accuracy', 'f1_macro', 'roc_auc', 'log_loss'];
const REGRESSION_METRICS = ['r2', 'rmse', 'mae', 'mape'];
// A numeric target with this many distinct whole values or fewer is read as class labels (0/1, 1..5 stars).
const MAX_NUMERIC_CLASSES = 10;

const isMissing = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/**
 * Defines the problem: which column to predict, classification or regression, and the metric to
 * optimise. With task 'auto', a numeric target with more than 10 distinct values or any non-whole
 * value is regression; anything else is classification (binary with 2 classes). Classes are the
 * sorted distinct non-missing target values as strings (numbers sorted numerically).
 * @example
 * const { problem } = b.add('problem', defineProblem, { table: raw.table }, { target: 'species', metric: 'f1_macro' });
 */
export const defineProblem = defineTask({
  name: 'problem/define',
  version: 1,
  params: Type.Object({
    target: Type.String({ minLength: 1, description: 'The column to predict.' }),
    task: Type.Enum(['auto', 'binary', 'multiclass', 'regression'], { default: 'auto', description: "Problem type; 'auto' infers it from the target column." }),
    metric: Type.Optional(Type.Enum([...CLASSIFICATION_METRICS, ...REGRESSION_METRICS], {
      description: 'Metric to optimise; default accuracy for classification, r2 for regression.',
    })),
    positiveClass: Type.Optional(Type.String({ description: 'Binary only: the class counted as positive; default the second sorted class.' })),
  }),
  inputs: { table: Table },
  outputs: { problem: Problem },
  run({ table }, params, ctx) {
    const { target } = params;
    const names = table.columnNames();
    if (!names.includes(target)) {
      throw new DataError(`problem/define: no column '${target}' in the table. Its columns are: ${names.join(', ')}`);
    }
    // Only 'binary' and 'multiclass' need every distinct value (the classes); otherwise reading can
    // stop counting them once the task is settled, which on a million float targets is most of the time.
    const enough = params.task === 'regression' ? 2 : params.task === 'auto' ? MAX_NUMERIC_CLASSES + 1 : Infinity;
    const { rows, present, numeric, distinct, nonNumber } = targetValues(table, target, enough);
    if (present === 0) throw new DataError(`problem/define: target '${target}' is missing in all ${rows} rows`);
    if (present < rows) ctx.log.warn(`target '${target}' is missing in ${rows - present} of ${rows} rows; drop them before training`);

    const task = params.task === 'auto' ? autoTask(numeric, distinct) : params.task;
    if (task === 'regression' && !numeric) {
      throw new DataError(`problem/define: task 'regression' needs a numeric target, but '${target}' holds ${nonNumber} values`);
    }
    if (distinct.length < 2) {
      const what = task === 'regression' ? 'is constant' : 'has one class';
      throw new DataError(`problem/define: target '${target}' ${what} (${String(distinct[0])}): there is nothing to learn. Check the filter that made the table, or pick another target`);
    }
    if (task === 'binary' && distinct.length > 2) {
      throw new DataError(`problem/define: task 'binary' but target '${target}' has ${distinct.length} classes; use task 'multiclass' or 'auto'`);
    }
    const metric = params.metric ?? (task === 'regression' ? 'r2' : 'accuracy');
    const allowed = task === 'regression' ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
    if (!allowed.includes(metric)) {
      throw new DataError(`problem/define: metric '${metric}' does not apply to ${task}; use one of ${allowed.join(', ')}`);
    }
    const problem: ProblemSpec = { target, task, metric };
    if (task !== 'regression') {
      const classes = (numeric ? (distinct as number[]).sort((a, b) => a - b) : distinct.map(String).sort()).map(String);
      if (classes.length > 50) ctx.log.warn(`target '${target}' has ${classes.length} classes: is this meant to be regression?`);
      problem.classes = classes;
      if (task === 'binary') problem.positiveClass = positive(params.positiveClass, classes, target);
    }
    if (params.positiveClass !== undefined && task !== 'binary') {
      throw new DataError(`problem/define: positiveClass applies to binary problems only, but this is ${task}`);
    }
    return { problem };
  },
});

/** What problem/define needs to know of the target column, read in one pass. */
interface TargetValues {
  rows: number;
  /** Rows whose target is not missing. */
  present: number;
  /** Every present value is a number. */
  numeric: boolean;
  /** Distinct present values in first-seen order (Dates as ISO text); numeric ones stop growing at `enough`. */
  distinct: unknown[];
  /** `typeof` the first present value that is not a number. */
  nonNumber?: string;
}

/**
 * Reads the target: from Arrow buffers when the column is Arrow Int or Float (no JS value per cell),
 * else from its values. A numeric target stops collecting distinct values at `enough` (the answer
 * no longer depends on them); any other column collects them all.
 */
function targetValues(table: Parameters<typeof readNumbers>[0], target: string, enough: number): TargetValues {
  let raw: ArrayLike<unknown> | undefined;
  const numbers = readNumbers(table, target) ?? floatsOf((raw = table.array(target) as ArrayLike<unknown>));
  if (numbers) {
    const seen = new Set<number>();
    let present = 0;
    for (let i = 0; i < numbers.length; i++) {
      const v = numbers[i];
      if (v !== v) continue; // NaN: missing
      present++;
      if (seen.size < enough) seen.add(v);
    }
    return { rows: numbers.length, present, numeric: true, distinct: [...seen] };
  }
  raw ??= table.array(target) as ArrayLike<unknown>;
  // Not all numbers: every distinct value counts (they become the classes, or the error names them).
  const seen = new Set<unknown>();
  let present = 0;
  let nonNumber: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (isMissing(v)) continue;
    present++;
    if (nonNumber === undefined && typeof v !== 'number') nonNumber = typeof v;
    seen.add(v instanceof Date ? v.toISOString() : v);
  }
  return { rows: raw.length, present, numeric: nonNumber === undefined, distinct: [...seen], nonNumber };
}

/**
 * Values that are all numbers or missing (a typed array, or a plain array such as arquero hands out
 * for a column it built) as float64 with NaN for missing, so they read like an Arrow numeric
 * column; undefined when any present value is something else.
 */
function floatsOf(values: ArrayLike<unknown>): Float64Array | undefined {
  if (values instanceof Float64Array) return values;
  if (ArrayBuffer.isView(values)) {
    if (values instanceof DataView || values instanceof BigInt64Array || values instanceof BigUint64Array) return undefined;
    return Float64Array.from(values as unknown as ArrayLike<number>);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (isMissing(v)) out[i] = NaN;
    else return undefined;
  }
  return out;
}

function autoTask(numeric: boolean, distinct: unknown[]): ProblemSpec['task'] {
  if (numeric && (distinct.length > MAX_NUMERIC_CLASSES || distinct.some((v) => !Number.isInteger(v)))) return 'regression';
  return distinct.length === 2 ? 'binary' : 'multiclass';
}

function positive(given: string | undefined, classes: string[], target: string): string {
  if (given === undefined) return classes[1];
  if (!classes.includes(given)) {
    throw new DataError(`problem/define: positiveClass '${given}' is not a class of '${target}'; its classes are: ${classes.join(', ')}`);
  }
  return given;
}
