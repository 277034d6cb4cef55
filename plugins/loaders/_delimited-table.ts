import { table as toTable, type ColumnTable } from 'arquero';
import { Type, type TaskLogger } from '../../core/index.ts';
import { DEFAULT_MISSING, inferCellType, PARSERS, parseNumber, type CellType } from './_cells.ts';
import { badFile, decodeText, pathParam, readDataFile } from './_files.ts';
import { parseDelimited } from './_parse-delimited.ts';

const CELL_TYPE = Type.Enum(['number', 'string', 'boolean', 'date']);

/** Params shared by loaders/csv and loaders/tsv (csv adds `delimiter`). */
export const delimitedParams = {
  path: pathParam(),
  header: Type.Boolean({ default: true, description: 'The first row holds column names; false names columns col1, col2, …' }),
  types: Type.Record(Type.String(), CELL_TYPE, {
    default: {},
    description: "Column types that skip inference, e.g. { zip: 'string', when: 'date' }. A cell that does not parse is an error.",
  }),
  missing: Type.Array(Type.String(), { default: DEFAULT_MISSING, description: 'Cell texts read as missing (null), compared after trimming spaces.' }),
  encoding: Type.String({ default: 'utf-8', description: "Text encoding ('utf-8', 'latin1', 'windows-1252', …). UTF-8 is checked strictly." }),
};

/** What readDelimitedTable needs: the shared params plus the delimiter in use. */
export interface DelimitedOptions {
  path: string;
  delimiter: string;
  header: boolean;
  types: Record<string, CellType>;
  missing: string[];
  encoding: string;
}

/**
 * Reads a CSV/TSV file into a table, with typed columns and bad rows reported by line.
 * @example
 * const t = await readDelimitedTable({ path: 'data.tsv', delimiter: '\t', header: true, types: {}, missing: ['', 'NA'], encoding: 'utf-8' }, ctx.log);
 */
export async function readDelimitedTable(o: DelimitedOptions, log: TaskLogger): Promise<ColumnTable> {
  const file = o.path;
  const text = decodeText(await readDataFile(file), file, o.encoding);
  const { rows, lines } = parseDelimited(text, o.delimiter, file);
  if (rows.length === 0) throw badFile(file, undefined, 'file has no rows (only blank lines)', 'Check that the export that wrote it finished');
  const names = o.header ? checkHeader(rows[0], lines[0], file) : rows[0].map((_, i) => `col${i + 1}`);
  if (o.header && names.length === 1 && /[;\t|]/.test(names[0])) {
    log.warn(`${file}: one column named '${names[0]}': is the delimiter ${JSON.stringify(o.delimiter)} right?`);
  }
  const body = o.header ? 1 : 0;
  const unknown = Object.keys(o.types).filter((name) => !names.includes(name));
  if (unknown.length) {
    throw badFile(file, undefined, `types names column(s) ${unknown.map((c) => `'${c}'`).join(', ')} that the file lacks`,
      `Its columns are: ${names.join(', ')}`);
  }
  const missing = new Set(o.missing.map((m) => m.trim()));
  const texts: Array<Array<string | null>> = names.map(() => []);
  for (let r = body; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== names.length) {
      throw badFile(file, lines[r], `line ${lines[r]} has ${row.length} field(s), the header (line ${lines[0]}) has ${names.length}`,
        'Quote fields that contain the delimiter, and check for a missing or extra delimiter on that line');
    }
    for (let c = 0; c < row.length; c++) texts[c].push(missing.has(row[c].trim()) ? null : row[c]);
  }
  if (rows.length === body) log.warn(`${file}: header only, no data rows`);
  const columns: Record<string, unknown[]> = {};
  names.forEach((name, c) => {
    const type = o.types[name] ?? inferCellType(texts[c]);
    const parse = PARSERS[type];
    columns[name] = texts[c].map((t, r) => {
      if (t === null) return null;
      const value = parse(t);
      if (value === undefined) {
        const line = lines[r + body];
        throw badFile(file, line, `column '${name}' is declared types.${name} = '${type}' but line ${line} holds ${JSON.stringify(t)}`,
          `Fix the value, add it to the missing param, or declare the column 'string'`);
      }
      return value;
    });
  });
  return toTable(columns, names);
}

function checkHeader(header: string[], line: number, file: string): string[] {
  const names = header.map((h) => h.trim());
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) {
    throw badFile(file, line, `column ${empty + 1} of the header has no name`,
      "Every column needs a name in the first row; if the file has no header row, set header: false");
  }
  if (names.every((n) => parseNumber(n) !== undefined)) {
    throw badFile(file, line, `the first row looks like data, not a header (${names.slice(0, 5).join(', ')})`,
      'Add a header row with column names, or set header: false to name the columns col1, col2, …');
  }
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const before = seen.get(n);
    if (before !== undefined) {
      throw badFile(file, line, `column '${n}' is named twice in the header (columns ${before + 1} and ${i + 1})`, 'Rename one of them');
    }
    seen.set(n, i);
  });
  return names;
}
