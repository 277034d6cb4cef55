import { defineTask, Table, Type } from '../../core/index.ts';
import { Problem, Transform } from '../kinds.ts';
import { columnsParam, selectColumns } from '../column-params.ts';
import { fitImpute, type ImputeMethod } from '../transformers/steps.ts';
import { columnKind, columnValues } from '../data-table.ts';

/**
 * Fits missing-value imputation on the training split: numeric columns get `method`, string/boolean
 * columns get `categoricalMethod`, `methods` overrides per column. Apply it with transformers/apply.
 * Columns with no missing values in train are fitted too, since test or future rows may have gaps.
 * @example
 * const imp = b.add('impute', imputeMissing, { train: split.train, problem: p.problem }, { method: 'median' });
 */
export const imputeMissing = defineTask({
  name: 'cleaners/impute-missing',
  version: 1,
  params: Type.Object({
    columns: columnsParam('numeric, string and boolean columns'),
    method: Type.Enum(['mean', 'median', 'most_frequent', 'constant'], {
      default: 'median', description: 'How numeric columns are filled.',
    }),
    categoricalMethod: Type.Enum(['most_frequent', 'constant'], {
      default: 'most_frequent', description: 'How string and boolean columns are filled.',
    }),
    methods: Type.Record(Type.String(), Type.Enum(['mean', 'median', 'most_frequent', 'constant']), {
      default: {}, description: "Per-column method, overriding the two above, e.g. { 'Sex': 'constant' }.",
    }),
    fillValue: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
      description: "Value for 'constant' (default 0 for numeric columns, 'missing' for string ones).",
    })),
  }),
  inputs: { train: Table, problem: Problem },
  outputs: { transform: Transform },
  run: ({ train, problem }, params, ctx) => {
    const where = 'cleaners/impute-missing';
    const overrides = params.methods as Record<string, ImputeMethod>;
    const select = (columns: string[] | undefined) => selectColumns(train, {
      columns, target: problem.target, accept: ['numeric', 'categorical'],
      explicitAccept: ['numeric', 'categorical', 'empty'], where,
    });
    const chosen = select(params.columns);
    // Naming a column in `methods` is as explicit as listing it in `columns`.
    const extra = Object.keys(overrides).filter((c) => !chosen.includes(c));
    const cols = extra.length ? [...chosen, ...select(extra)] : chosen;
    if (params.columns === undefined) {
      const empty = train.columnNames()
        .filter((n) => n !== problem.target && !cols.includes(n) && columnKind(columnValues(train, n)) === 'empty');
      if (empty.length) ctx.log.warn(`${where}: skipped all-missing column(s) ${empty.join(', ')}; drop them with cleaners/drop-columns`);
    }
    const columns = cols.map((column) => ({
      column,
      // Own properties only: a column named 'constructor' must not read Object.prototype.constructor.
      method: (Object.hasOwn(overrides, column) ? overrides[column] : undefined) ??
        ((columnKind(columnValues(train, column)) === 'numeric' ? params.method : params.categoricalMethod) as ImputeMethod),
    }));
    return { transform: { steps: [fitImpute(train, { columns, fillValue: params.fillValue })] } };
  },
});
