import { fromArrow } from 'arquero';
import { defineTask, Table, Type } from '../../core/index.ts';
import { badFile, pathParam, readDataFile } from './_files.ts';

/**
 * Loads an Arrow IPC file (.arrow, .feather v2) or stream into a table; the format is detected
 * from the bytes. Timestamps and dates become Date values.
 * @example
 * const raw = b.add('load', arrowLoader, {}, { path: 'data/features.arrow' });
 */
export const arrowLoader = defineTask({
  name: 'loaders/arrow',
  version: 1,
  params: Type.Object({
    path: pathParam(),
  }),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const file = params.path;
    const bytes = await readDataFile(file);
    let table;
    try {
      table = fromArrow(bytes);
    } catch (err) {
      throw badFile(file, undefined, `not a readable Arrow IPC file or stream: ${(err as Error).message}`,
        'Check the file is Arrow IPC (e.g. written by pyarrow.feather or tableToIPC) and was completely written', err);
    }
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${file}`);
    return { table };
  },
});
