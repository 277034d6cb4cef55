import type { ColumnTable } from 'arquero';
import type { TaskLogger } from '../../core/index.ts';
import { DEFAULT_MISSING } from './_cells.ts';
import { delimitedTextTable } from './_delimited-table.ts';

/** Options of {@link readDelimitedText}. */
export interface DelimitedTextOptions {
  /** Names the text in messages, as a file name would (default 'text'). */
  source?: string;
  /** Default ',' (CSV). */
  delimiter?: string;
  /** Where the loader's warnings go (a header-only text, one column that looks delimited). */
  log?: TaskLogger;
}

/**
 * Parses delimited text (a CSV request body) into the same table `readTable` gives for a .csv file:
 * the loaders' own parser, type inference, missing tokens and `source:line: what. fix` DataErrors, so
 * text sent to a server is read exactly as the same rows in a file would be. The first row is the header.
 * @example
 * const { table, lineOf } = readDelimitedText('Island,Body Mass (g)\nBiscoe,4050\n', { source: 'request body' });
 * table.get('Body Mass (g)', 0); // 4050
 * lineOf(0);                     // 2
 */
export function readDelimitedText(text: string, options: DelimitedTextOptions = {}): { table: ColumnTable; lineOf(row: number): number | undefined } {
  const quiet = () => undefined;
  const { table, lines } = delimitedTextTable(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    path: options.source ?? 'text', delimiter: options.delimiter ?? ',', header: true, types: {}, missing: DEFAULT_MISSING,
  }, options.log ?? { info: quiet, warn: quiet, debug: quiet });
  // lines[0] is the header's line; data row r starts on lines[r + 1].
  return { table, lineOf: (row) => lines[row + 1] };
}
