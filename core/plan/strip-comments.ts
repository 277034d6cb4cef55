/**
 * Blanks out `//` and `/* *\/` comments of JS/TS source, keeping string literals intact, so that an
 * import written in a TSDoc `@example` is not mistaken for a real one. A small scanner rather than a
 * parser: it knows strings, template literals (with `${}` nesting) and, by the usual heuristic,
 * regular-expression literals — enough to never take a `//` inside a string for a comment.
 */

/** A `/` after one of these starts a regular expression, not a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** What the scanner found between `from` and `to`: a whole comment, or the inside of a literal. */
type Span = 'comment' | 'string' | 'template' | 'regex';

/**
 * The source with every comment replaced by one space.
 * @example
 * stripComments("import a from './a.ts'; // import b from './b.ts'") // "import a from './a.ts'; "
 */
export function stripComments(source: string): string {
  let out = '';
  let copyFrom = 0;
  scanLiterals(source, (span, from, to) => {
    if (span !== 'comment') return;
    out += source.slice(copyFrom, from) + ' ';
    copyFrom = to;
  });
  return out + source.slice(copyFrom);
}

/**
 * The source with comments, string contents, template text and regex bodies blanked to spaces
 * (newlines kept, quotes and `${…}` code kept), at the same length: what is left is code only, so a
 * `require(name)` in a message string is not taken for a call, and an index still gives the line.
 * @example
 * maskLiterals("f('a(b)'); // x") // "f('    ');    "
 */
export function maskLiterals(source: string): string {
  const out = source.split('');
  scanLiterals(source, (_span, from, to) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  });
  return out.join('');
}

/**
 * The one scanner both views share, so they can never disagree on where code is: calls `on` for
 * each comment (whole, delimiters included), each string and regex body (without its delimiters)
 * and each piece of template text, in source order.
 */
function scanLiterals(source: string, on: (span: Span, from: number, to: number) => void): void {
  const n = source.length;
  let last = '';
  // Open template literals and the `${` depth inside each: a `}` at depth 0 resumes the template.
  const templates: number[] = [];
  let i = 0;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (templates.length > 0 && templates[templates.length - 1] === -1) {
      // Inside template text.
      if (c === '\\') { on('template', i, i + 2); i += 2; }
      else if (c === '`') { templates.pop(); last = '`'; i++; }
      else if (c === '$' && next === '{') { templates[templates.length - 1] = 0; last = '{'; i += 2; }
      else { on('template', i, i + 1); i++; }
      continue;
    }
    if (c === '/' && (next === '/' || next === '*')) {
      const end = next === '/' ? source.indexOf('\n', i) : source.indexOf('*/', i + 2);
      const to = end < 0 ? n : next === '/' ? end : end + 2;
      on('comment', i, to);
      i = to;
      continue;
    }
    if (c === '"' || c === "'") {
      const to = skipQuoted(source, i, c);
      on('string', i + 1, source[to - 1] === c ? to - 1 : to);
      i = to;
      last = c;
      continue;
    }
    if (c === '`') { templates.push(-1); i++; continue; }
    if (c === '/' && REGEX_AFTER.has(last)) {
      const to = skipRegex(source, i);
      on('regex', i + 1, to - 1);
      i = to;
      last = '/';
      continue;
    }
    if (templates.length > 0) {
      const depth = templates[templates.length - 1];
      if (c === '{') templates[templates.length - 1] = depth + 1;
      else if (c === '}') templates[templates.length - 1] = depth === 0 ? -1 : depth - 1;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') last = c;
    i++;
  }
}

/** Index after a '…' or "…" string; a newline ends it too, so a misread quote costs one line at most. */
function skipQuoted(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return i;
}

/** Index after a /regex/flags literal; `/` inside a [class] does not end it; neither can a line. */
function skipRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === '\n') return i;
    else if (c === '[') { inClass = true; i++; }
    else if (c === ']') { inClass = false; i++; }
    else if (c === '/' && !inClass) return i + 1;
    else i++;
  }
  return i;
}
