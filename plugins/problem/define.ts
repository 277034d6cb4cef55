import { DataError, defineTask, Table, Type } from '../../core/index.ts';
import { Problem, type ProblemSpec } from '../kinds.ts';

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
    const all = Array.from(table.array(target) as ArrayLike<unknown>);
    const values = all.filter((v) => !isMissing(v));
    if (values.length === 0) throw new DataError(`problem/define: target '${target}' is missing in all ${all.length} rows`);
    if (values.length < all.length) ctx.log.warn(`target '${target}' is missing in ${all.length - values.length} of ${all.length} rows; drop them before training`);

    const numeric = values.every((v) => typeof v === 'number');
    const distinct = [...new Set(values.map((v) => (v instanceof Date ? v.toISOString() : v)))];
    const task = params.task === 'auto' ? autoTask(numeric, distinct) : params.task;
    if (task === 'regression' && !numeric) {
      throw new DataError(`problem/define: task 'regression' needs a numeric target, but '${target}' holds ${typeof values.find((v) => typeof v !== 'number')} values`);
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
