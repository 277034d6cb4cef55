import { table as toTable, type ColumnTable } from 'arquero';
import { Type, type TaskLogger } from '../../core/index.ts';
import { numberColumn } from '../arrow-columns.ts';
import { DEFAULT_MISSING, inferCellType, isSpace, LEADING_ZERO, PARSERS, parseNumber, scanNumber, type CellType } from './_cells.ts';
import { badFile, decodeText, pathParam, readDataFile } from './_files.ts';
import { fieldText, parseDelimited, type DelimitedCells } from './_parse-delimited.ts';

// jiti compiles an imported binding to a getter call at every use; the per-cell loops below call these
// local aliases instead (that getter was a seventh of the load time).
const scan = scanNumber;
const space = (c: number) => (c > 32 && c < 160 ? false : isSpace(c));

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
 * Reads a CSV/TSV file into a table, with typed columns and bad rows reported by line. Number columns
 * are parsed straight from the text into Arrow Float64 buffers (no string or boxed number per cell);
 * other columns keep the per-cell path.
 * @example
 * const t = await readDelimitedTable({ path: 'data.tsv', delimiter: '\t', header: true, types: {}, missing: ['', 'NA'], encoding: 'utf-8' }, ctx.log);
 */
export async function readDelimitedTable(o: DelimitedOptions, log: TaskLogger): Promise<ColumnTable> {
  return delimitedTextTable(decodeText(await readDataFile(o.path), o.path, o.encoding), o, log).table;
}

/**
 * {@link readDelimitedTable} on text already in memory (a request body): the same parsing, types and
 * errors, `o.path` only naming the source in messages. Also returns the line each record starts on.
 * @example
 * const { table, lines } = delimitedTextTable('a,b\n1,x\n', { path: 'request body', delimiter: ',', header: true, types: {}, missing: DEFAULT_MISSING }, log);
 */
export function delimitedTextTable(text: string, o: Omit<DelimitedOptions, 'encoding'>, log: TaskLogger): { table: ColumnTable; lines: number[] } {
  const file = o.path;
  const cells = parseDelimited(text, o.delimiter, file);
  const { records, rowStart, lines } = cells;
  if (records === 0) throw badFile(file, undefined, 'file has no rows (only blank lines)', 'Check that the export that wrote it finished');
  const first = Array.from({ length: rowStart[1] }, (_, f) => fieldText(cells, f));
  const names = o.header ? checkHeader(first, lines[0], file) : first.map((_, i) => `col${i + 1}`);
  if (o.header && names.length === 1 && /[;\t|]/.test(names[0])) {
    log.warn(`${file}: one column named '${names[0]}': is the delimiter ${JSON.stringify(o.delimiter)} right?`);
  }
  const body = o.header ? 1 : 0;
  const unknown = Object.keys(o.types).filter((name) => !names.includes(name));
  if (unknown.length) {
    throw badFile(file, undefined, `types names column(s) ${unknown.map((c) => `'${c}'`).join(', ')} that the file lacks`,
      `Its columns are: ${names.join(', ')}`);
  }
  for (let r = body; r < records; r++) {
    const count = rowStart[r + 1] - rowStart[r];
    if (count !== names.length) {
      throw badFile(file, lines[r], `line ${lines[r]} has ${count} field(s), the header (line ${lines[0]}) has ${names.length}`,
        'Quote fields that contain the delimiter, and check for a missing or extra delimiter on that line');
    }
  }
  if (records === body) log.warn(`${file}: header only, no data rows`);
  const reader = new ColumnReader(cells, body, names.length, o.missing);
  // Null prototype and own-property lookups: a column named 'constructor' or '__proto__' is just a column.
  const columns: Record<string, unknown> = Object.create(null);
  names.forEach((name, c) => {
    const declared = Object.hasOwn(o.types, name) ? o.types[name] : undefined;
    const fail = (r: number, t: string) => {
      const line = lines[r + body];
      return badFile(file, line, `column '${name}' is declared types.${name} = '${declared}' but line ${line} holds ${JSON.stringify(t)}`,
        `Fix the value, add it to the missing param, or declare the column 'string'`);
    };
    if (declared === undefined || declared === 'number') {
      const numbers = reader.numbers(c, declared === 'number');
      if (typeof numbers === 'number') {
        if (declared === 'number') throw fail(numbers, reader.raw(numbers, c));
      } else if (numbers) {
        columns[name] = numberColumn(numbers);
        return;
      }
    }
    const texts = reader.texts(c);
    const type = declared ?? inferCellType(texts);
    const parse = PARSERS[type];
    columns[name] = texts.map((t, r) => {
      if (t === null) return null;
      const value = parse(t);
      if (value === undefined) throw fail(r, t);
      return value;
    });
  });
  return { table: toTable(columns, names), lines: Array.from(lines) };
}

/** Reads one column of the data records at a time, trimming and recognising missing tokens as parseDelimited's caller did. */
class ColumnReader {
  private readonly missing: Set<string>;
  /** 1 at the first code unit of each non-empty missing token: a cell starting elsewhere (a digit) is not one. */
  private readonly missingHead = new Uint8Array(65536);
  private readonly emptyIsMissing: boolean;
  readonly rows: number;

  constructor(private readonly cells: DelimitedCells, private readonly body: number, private readonly width: number, missing: string[]) {
    this.missing = new Set(missing.map((m) => m.trim()));
    this.emptyIsMissing = this.missing.has('');
    for (const m of this.missing) if (m !== '') this.missingHead[m.charCodeAt(0)] = 1;
    this.rows = cells.records - body;
  }

  /** The untrimmed text of data row r, column c. */
  raw(r: number, c: number): string {
    return fieldText(this.cells, (r + this.body) * this.width + c);
  }

  /**
   * The column as numbers (NaN for missing), or the first row that is not a number (a leading zero
   * counts as not a number unless `declared`), or undefined when no value is present (a string column).
   */
  numbers(c: number, declared: boolean): Float64Array | number | undefined {
    const { text, start, end } = this.cells;
    const { missingHead, width, body } = this;
    const out = new Float64Array(this.rows);
    let present = 0;
    for (let r = 0; r < this.rows; r++) {
      const f = (r + body) * width + c;
      let e = end[f];
      if (e < 0) {
        const t = this.raw(r, c);
        if (this.isMissing(t.trim())) { out[r] = NaN; continue; }
        const v = parseNumber(t);
        if (v === undefined || (!declared && LEADING_ZERO.test(t.trim()))) return r;
        out[r] = v;
        present++;
        continue;
      }
      let s = start[f];
      while (s < e && space(text.charCodeAt(s))) s++;
      while (e > s && space(text.charCodeAt(e - 1))) e--;
      if (s === e) {
        if (this.emptyIsMissing) { out[r] = NaN; continue; }
        return r;
      }
      const head = text.charCodeAt(s);
      if (missingHead[head] === 1 && this.missing.has(text.slice(s, e))) { out[r] = NaN; continue; }
      const v = scan(text, s, e);
      if (v === undefined) return r;
      if (!declared) {
        const z = head === 45 || head === 43 ? s + 1 : s;
        if (text.charCodeAt(z) === 48 && z + 1 < e && isDigit(text.charCodeAt(z + 1))) return r;
      }
      out[r] = v;
      present++;
    }
    return present ? out : undefined;
  }

  /** The column's untrimmed texts, null where missing. */
  texts(c: number): Array<string | null> {
    const out = new Array<string | null>(this.rows);
    for (let r = 0; r < this.rows; r++) {
      const t = this.raw(r, c);
      out[r] = this.isMissing(t.trim()) ? null : t;
    }
    return out;
  }

  private isMissing(trimmed: string): boolean {
    return this.missing.has(trimmed);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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
