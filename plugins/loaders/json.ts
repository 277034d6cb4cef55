import { defineTask, Table, Type } from '../../core/index.ts';
import { badFile, decodeText, pathParam, readDataFile } from './_files.ts';
import { locateJsonError } from '../json-error.ts';
import { recordsToTable } from './_records.ts';

/**
 * Loads a JSON array of records (`[{"a": 1}, {"a": 2, "b": "x"}]`) into a table. Columns are the
 * union of keys (missing → null); nested objects are flattened one level to 'parent.child'; a column
 * mixing types is read as text (with a warning);
 * string columns that are all ISO dates become dates. Syntax errors name the line and column.
 * @example
 * const raw = b.add('load', jsonLoader, {}, { path: 'node_modules/vega-datasets/data/penguins.json' });
 */
export const jsonLoader = defineTask({
  name: 'loaders/json',
  version: 1,
  params: Type.Object({
    path: pathParam(),
    parseDates: Type.Boolean({ default: true, description: 'Turn string columns whose every value is an ISO date into dates.' }),
  }),
  inputs: {},
  outputs: { table: Table },
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const file = params.path;
    const text = decodeText(await readDataFile(file), file);
    if (text.trim() === '') throw badFile(file, undefined, 'file is blank', 'Expected a JSON array of records');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const at = locateJsonError(text, err as Error);
      throw badFile(file, at.line, `invalid JSON at line ${at.line} column ${at.column}: ${at.reason}, near \`${at.snippet}\``,
        'Fix the syntax (a trailing comma or an unquoted key is common); for one record per line use loaders/ndjson', err);
    }
    if (!Array.isArray(value)) {
      throw badFile(file, undefined, `the top-level value is ${value === null ? 'null' : typeof value}, expected an array of records [{...}, …]`,
        'Wrap the records in an array; for one record per line use loaders/ndjson');
    }
    const table = recordsToTable(value, { file, locate: (i) => ({ label: `record ${i + 1}` }), parseDates: params.parseDates, warn: (m) => ctx.log.warn(m) });
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${file}`);
    return { table };
  },
});
