import { defineTask, Table, Type } from '../../core/index.ts';
import { badFile, decodeText, pathParam, readDataFile } from './_files.ts';
import { locateJsonError } from '../json-error.ts';
import { recordsToTable } from './_records.ts';

/**
 * Loads newline-delimited JSON (one record per line, as logs and BigQuery exports write it) into a
 * table. Blank lines are skipped; columns are the union of keys; a bad line fails naming its number.
 * @example
 * const events = b.add('load', ndjsonLoader, {}, { path: 'data/events.ndjson' });
 */
export const ndjsonLoader = defineTask({
  name: 'loaders/ndjson',
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
    const records: unknown[] = [];
    const lines: number[] = [];
    text.split(/\r?\n/).forEach((source, i) => {
      if (source.trim() === '') return;
      try {
        records.push(JSON.parse(source));
      } catch (err) {
        const at = locateJsonError(source, err as Error, 'line');
        throw badFile(file, i + 1, `line ${i + 1} is not valid JSON at column ${at.column}: ${at.reason}, near \`${at.snippet}\``,
          'Each line must hold one complete JSON object; a record spread over several lines needs loaders/json', err);
      }
      lines.push(i + 1);
    });
    if (records.length === 0) throw badFile(file, undefined, 'file has no records (only blank lines)');
    const table = recordsToTable(records, { file, locate: (i) => ({ line: lines[i], label: `line ${lines[i]}` }), parseDates: params.parseDates, warn: (m) => ctx.log.warn(m) });
    ctx.log.info(`loaded ${table.numRows()} rows × ${table.numCols()} columns from ${file}`);
    return { table };
  },
});
