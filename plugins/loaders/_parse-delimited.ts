import { badFile } from './_files.ts';

/** Rows of a delimited file, each with the line it starts on (quoted fields may span lines). */
export interface DelimitedRows {
  rows: string[][];
  lines: number[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Parses RFC 4180 delimited text (quotes, doubled quotes, CRLF, newlines inside quotes) keeping
 * the line each record starts on. Written here rather than using arquero's `fromCSV` because that
 * parser drops line numbers and silently pads or truncates ragged rows, so bad files could not be
 * reported by line. Blank lines are skipped (as pandas does).
 * @example
 * parseDelimited('a,b\n1,"x, y"\n', ',', 'data.csv'); // { rows: [['a','b'],['1','x, y']], lines: [1, 2] }
 */
export function parseDelimited(text: string, delimiter: string, file: string): DelimitedRows {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw badFile(file, undefined, `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const rows: string[][] = [];
  const lines: number[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const row: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const opened = line;
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw badFile(file, opened, `field ${row.length + 1} opens a quote that is never closed`,
              'Close the quote, or double any quote inside a quoted field ("")');
          }
          value += text.slice(j, q);
          line += countNewlines(text, j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        row.push(value);
        const c = text.charCodeAt(i);
        if (c === d) { i++; continue; }
        if (i < n && c !== LF && c !== CR) {
          throw badFile(file, line, `unexpected text after the closing quote of field ${row.length}`,
            'A quote inside a quoted field must be doubled ("")');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          j++;
        }
        row.push(text.slice(i, j));
        i = j;
        if (i < n && text.charCodeAt(i) === d) { i++; continue; }
      }
      break;
    }
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
    rows.push(row);
    lines.push(start);
  }
  return { rows, lines };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}
