import { badFile } from './_files.ts';

/**
 * The fields of a delimited file as positions in its text, with the line each record starts on (quoted
 * fields may span lines). Field f of record r is `cells.start[cells.rowStart[r] + f]`…; no string is made
 * per field, so a loader can parse numbers straight from the text.
 */
export interface DelimitedCells {
  text: string;
  records: number;
  /** Record r's fields are the indices rowStart[r] … rowStart[r + 1] - 1. */
  rowStart: Int32Array;
  /** The line each record starts on (1-based). */
  lines: Int32Array;
  /** A field spans text[start, end); end < 0 marks a quoted field holding doubled quotes, whose value is escaped[-1 - end]. */
  start: Int32Array;
  end: Int32Array;
  escaped: string[];
}

/**
 * A field's value as a string.
 * @example
 * fieldText(cells, cells.rowStart[1] + 0) // '1'
 */
export function fieldText(cells: DelimitedCells, field: number): string {
  const e = cells.end[field];
  return e < 0 ? cells.escaped[-1 - e] : cells.text.slice(cells.start[field], e);
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** An Int32Array that grows by doubling. */
class Ints {
  data: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.size === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = v;
  }
  done(): Int32Array {
    return this.data.subarray(0, this.size);
  }
}

/**
 * Parses RFC 4180 delimited text (quotes, doubled quotes, CRLF, newlines inside quotes) keeping
 * the line each record starts on. Written here rather than using arquero's `fromCSV` because that
 * parser drops line numbers and silently pads or truncates ragged rows, so bad files could not be
 * reported by line. Blank lines are skipped (as pandas does).
 * @example
 * const cells = parseDelimited('a,b\n1,"x, y"\n', ',', 'data.csv');
 * cells.records; // 2 (lines [1, 2]); fieldText(cells, 3) === 'x, y'
 */
export function parseDelimited(text: string, delimiter: string, file: string): DelimitedCells {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw badFile(file, undefined, `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  // A guess of ~8 characters a field and ~100 a record; the arrays double when it is short.
  const start = new Ints(n / 8);
  const end = new Ints(n / 8);
  const rowStart = new Ints(n / 100);
  const lines = new Ints(n / 100);
  const escaped: string[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    rowStart.push(start.size);
    lines.push(line);
    let fields = 0;
    for (;;) {
      fields++;
      if (text.charCodeAt(i) === QUOTE) {
        const opened = line;
        let value: string | undefined;
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw badFile(file, opened, `field ${fields} opens a quote that is never closed`,
              'Close the quote, or double any quote inside a quoted field ("")');
          }
          line += countNewlines(text, j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value = (value ?? '') + text.slice(j, q) + '"';
            j = q + 2;
            continue;
          }
          if (value === undefined) {
            start.push(i + 1);
            end.push(q);
          } else {
            escaped.push(value + text.slice(j, q));
            start.push(0);
            end.push(-escaped.length);
          }
          i = q + 1;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === d) { i++; continue; }
        if (i < n && c !== LF && c !== CR) {
          throw badFile(file, line, `unexpected text after the closing quote of field ${fields}`,
            'A quote inside a quoted field must be doubled ("")');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          j++;
        }
        start.push(i);
        end.push(j);
        i = j;
        if (i < n && text.charCodeAt(i) === d) { i++; continue; }
      }
      break;
    }
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
  }
  rowStart.push(start.size);
  return {
    text, records: lines.size, rowStart: rowStart.done(), lines: lines.done(), start: start.done(), end: end.done(), escaped,
  };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}
