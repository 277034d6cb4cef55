import { DataError, Type } from '../core/index.ts';
import { kindOf as columnKindOf, requireColumns, type ColumnKind, type DataTable } from './data-table.ts';

/**
 * The `columns` param every fitted transform shares: absent means "every applicable column".
 * @example
 * params: Type.Object({ columns: columnsParam('numeric columns to standardize') })
 */
export function columnsParam(applicable: string) {
  return Type.Optional(
    Type.Array(Type.String(), {
      description: `Columns to fit on. Default: all ${applicable} except the problem's target (which is never transformed).`,
    }),
  );
}

export interface SelectOptions {
  /** Explicit columns from params, or undefined for the default. */
  columns?: string[];
  /** The problem's target: never selected. */
  target?: string;
  /** Kinds picked by default. */
  accept: ColumnKind[];
  /** Kinds allowed when named explicitly (default: `accept`), e.g. one-hot encoding an integer code. */
  explicitAccept?: ColumnKind[];
  /** The task name, for messages. */
  where: string;
}

/**
 * The columns a fit task works on. Explicit columns are checked (exist, not the target, right kind);
 * the default is every non-target column of an accepted kind, in table order.
 * @example
 * selectColumns(train, { target: 'Species', accept: ['numeric'], where: 'transformers/standardize' })
 */
export function selectColumns(table: DataTable, opts: SelectOptions): string[] {
  const kindOf = (name: string) => columnKindOf(table, name);
  if (opts.columns === undefined) {
    return table.columnNames().filter((n) => n !== opts.target && opts.accept.includes(kindOf(n)));
  }
  requireColumns(table, opts.columns, opts.where);
  for (const name of opts.columns) {
    if (name === opts.target) {
      throw new DataError(
        `${opts.where}: params.columns includes '${name}', the problem's target; the target is never transformed. Remove it from columns`,
      );
    }
    const kind = kindOf(name);
    const allowed = opts.explicitAccept ?? opts.accept;
    if (!allowed.includes(kind)) {
      throw new DataError(
        `${opts.where}: column '${name}' is ${kind}, but this step needs ${allowed.join(' or ')} columns; ` +
          `remove it from params.columns${kind === 'categorical' ? ' or cast it with cleaners/cast-types' : ''}`,
      );
    }
  }
  return opts.columns;
}
