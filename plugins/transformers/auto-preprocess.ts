import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { fitAutoPreprocess } from './_auto.ts';

/**
 * Fits a complete preprocessing Transform on the training split: drops all-missing, identifier and
 * unsupported columns (and `drop`), imputes numeric columns (`impute`) and string/boolean columns
 * (most frequent), encodes string/boolean columns (`encode`), scales numeric columns (`scale`), and
 * leaves the target untouched. After transformers/apply, every feature column is numeric without nulls.
 * @example
 * const prep = b.add('prep', autoPreprocess, { train: split.train, problem: p.problem }, { scale: 'minmax' });
 * const trainX = b.add('prep-train', apply, { table: split.train, transform: prep.transform });
 * const testX = b.add('prep-test', apply, { table: split.test, transform: prep.transform });
 */
export const autoPreprocess = defineTask({
  name: 'transformers/auto-preprocess',
  version: 1,
  // Whole-table work that one fold branch of a cross-validation does: in the worker pool, the folds
  // run side by side instead of queueing on the main thread (2x on 100k-row tables).
  isolation: 'worker',
  params: Type.Object({
    impute: Type.Enum(['median', 'mean', 'most_frequent'], {
      default: 'median', description: 'How missing numeric values are filled (string/boolean columns use the most frequent value).',
    }),
    scale: Type.Enum(['standard', 'minmax', 'none'], { default: 'standard', description: 'How numeric columns are scaled.' }),
    encode: Type.Enum(['onehot', 'ordinal'], { default: 'onehot', description: 'How string and boolean columns become numbers.' }),
    drop: Type.Array(Type.String(), { default: [], description: 'Columns to leave out of the features.' }),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, params, ctx) => {
    const { spec, reasons } = fitAutoPreprocess(train, { ...params, target: problem.target });
    for (const [column, reason] of Object.entries(reasons)) ctx.log.info(`dropping column '${column}': ${reason}`);
    return { transform: spec };
  },
});
