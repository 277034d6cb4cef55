import { defineTask, Table, Type } from '../../core/index.ts';
import { delimitedParams, readDelimitedTable } from './_delimited-table.ts';

/**
 * Loads a CSV (or TSV, by extension) file into a table. Columns are typed by inference (boolean,
 * number, ISO date, else string) unless `types` says otherwise; empty cells and NA, N/A, null, NaN
 * are missing. Ragged rows, unclosed quotes, invalid UTF-8, duplicate or empty column names fail
 * with the file and line. The file's content is part of the cache key.
 * @example
 * const raw = b.add('load', csvLoader, {}, { path: 'data/penguins.csv', types: { year: 'string' } });
 */
export const csvLoader = defineTask({
  name: 'loaders/csv',
  version: 1,
  params: Type.Object({
    ...delimitedParams,
    delimiter: Type.String({
      default: 'auto', minLength: 1,
      description: "One character between fields; 'auto' uses a tab for .tsv/.tab files and a comma otherwise.",
    }),
  }),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const delimiter = params.delimiter === 'auto' ? (/\.(tsv|tab)$/i.test(params.path) ? '\t' : ',') : params.delimiter;
    const table = await readDelimitedTable({ ...params, delimiter }, ctx.log);
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${params.path}`);
    return { table };
  },
});
