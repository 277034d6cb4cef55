import { defineTask, Table, Type } from '../../core/index.ts';
import { delimitedParams, readDelimitedTable } from './_delimited-table.ts';

/**
 * Loads a tab-separated file into a table: loaders/csv with a tab delimiter whatever the file's
 * extension (for `.txt` exports of spreadsheets and databases).
 * @example
 * const raw = b.add('load', tsvLoader, {}, { path: 'exports/measurements.txt' });
 */
export const tsvLoader = defineTask({
  name: 'loaders/tsv',
  version: 1,
  params: Type.Object(delimitedParams),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const table = await readDelimitedTable({ ...params, delimiter: '\t' }, ctx.log);
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${params.path}`);
    return { table };
  },
});
