/** Where a JSON.parse error is, and what it says without the file text V8 quotes. */
export interface JsonErrorPlace {
  /** Offset in the text (UTF-16 units); the text's length for an error at end of input. */
  offset: number;
  line: number;
  column: number;
  /** V8's reason with its position and its quote of the text removed ("Unexpected token 'x'"). */
  reason: string;
  /** At most ~50 characters of the line around the error, control characters escaped, '…' where cut. */
  snippet: string;
}

/**
 * Locates a JSON.parse error. V8's message has several forms ("… in JSON at position N",
 * "Unexpected token 'x', "…" is not valid JSON" with no position, "Unexpected end of JSON input",
 * and in newer V8 "(line L column C)"); a position in the message is used when present, and
 * otherwise the first error is found by scanning the text, so the line is right in every form.
 * @example
 * try { JSON.parse(text); } catch (err) { const { line, column } = locateJsonError(text, err as Error); }
 * locateJsonError('[1,\n', new SyntaxError('Unexpected end of JSON input')); // line 1, column 4
 */
export function locateJsonError(text: string, err: Error, what = 'file'): JsonErrorPlace {
  const message = err.message;
  let offset: number;
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  const pos = /at position (\d+)/.exec(message);
  if (lc) offset = offsetOf(text, Number(lc[1]), Number(lc[2]));
  else if (pos) offset = Number(pos[1]);
  else if (/end of JSON input/i.test(message)) offset = text.length;
  else offset = firstJsonError(text);
  if (offset < 0 || offset > text.length) offset = text.length; // V8 and the scanner disagree: point at the end, never past it
  let reason = reasonOf(message);
  // An error at the end of input is reported after the last content, not on the blank line after it.
  const contentEnd = text.trimEnd().length;
  if (offset === text.length) {
    offset = contentEnd;
    if (!/end of JSON input/i.test(reason)) reason += ` (the ${what} ends there)`;
  }
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = countNewlines(text, lineStart) + 1;
  return { offset, line, column: offset - lineStart + 1, reason, snippet: snippetAt(text, offset, lineStart) };
}

/** V8's message without its position and without the text it quotes (which can be any file content). */
function reasonOf(message: string): string {
  return message
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?/, '')
    .replace(/ \(line \d+ column \d+\)/, '')
    .slice(0, 120);
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function snippetAt(text: string, offset: number, lineStart: number): string {
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const from = Math.max(lineStart, offset - 30);
  const to = Math.min(lineEnd, offset + 20);
  const shown = text.slice(from, to).replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${from > lineStart ? '…' : ''}${shown}${to < lineEnd ? '…' : ''}`;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  return start + column - 1;
}

// States of the scanner: expecting a value, an object key, or what follows a value.
const VALUE = 0;
const KEY = 1;
const AFTER = 2;

/**
 * Offset of the first JSON syntax error in `text` (the offending character, or the length at a
 * premature end), -1 when it is valid JSON. Iterative, so deep nesting cannot overflow the stack;
 * agrees with the positions V8 reports (tested against them).
 * @example
 * firstJsonError('[1, 2,]'); // 6
 */
export function firstJsonError(text: string): number {
  const n = text.length;
  const stack: number[] = []; // 0x5b '[' or 0x7b '{'
  let i = 0;
  let state = VALUE;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
  };
  for (;;) {
    ws();
    if (state === KEY) {
      if (text.charCodeAt(i) !== 0x22) return i;
      i = scanString(text, i);
      if (i < 0) return ~i;
      ws();
      if (text.charCodeAt(i) !== 0x3a) return i;
      i++;
      state = VALUE;
      continue;
    }
    if (state === AFTER) {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : -1;
      const c = text.charCodeAt(i);
      if (c === 0x2c) { i++; state = top === 0x5b ? VALUE : KEY; continue; }
      if ((top === 0x5b && c === 0x5d) || (top === 0x7b && c === 0x7d)) { i++; stack.pop(); continue; }
      return i;
    }
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      stack.push(c);
      i++;
      ws();
      if (text.charCodeAt(i) === c + 2) { i++; stack.pop(); state = AFTER; continue; } // [] or {}
      state = c === 0x5b ? VALUE : KEY;
      continue;
    }
    if (c === 0x22) i = scanString(text, i);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = scanNumber(text, i);
    else if (c === 0x74) i = scanWord(text, i, 'true');
    else if (c === 0x66) i = scanWord(text, i, 'false');
    else if (c === 0x6e) i = scanWord(text, i, 'null');
    else return i;
    if (i < 0) return ~i;
    state = AFTER;
  }
}

// The scanners return the offset after the token, or ~offset of the error (always negative).

function scanString(text: string, i: number): number {
  const n = text.length;
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return ~i;
    if (c !== 0x5c) continue;
    i++;
    const e = text.charCodeAt(i);
    if (e === 0x75) {
      for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) return ~(i + k);
      i += 4;
    } else if (!'"\\/bfnrt'.includes(text[i] ?? '\0')) return ~(i < n ? i : n);
  }
  return ~n;
}

function scanNumber(text: string, i: number): number {
  const digit = (k: number) => { const c = text.charCodeAt(k); return c >= 0x30 && c <= 0x39; };
  if (text.charCodeAt(i) === 0x2d) i++;
  if (!digit(i)) return ~i;
  if (text.charCodeAt(i) === 0x30) i++;
  else while (digit(i)) i++;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!digit(i)) return ~i;
    while (digit(i)) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) i++;
    if (!digit(i)) return ~i;
    while (digit(i)) i++;
  }
  return i;
}

function scanWord(text: string, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) return ~Math.min(i + k, text.length);
  return i + word.length;
}
