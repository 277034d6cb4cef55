/**
 * Blanks out `//` and `/* *\/` comments of JS/TS source, keeping string literals intact, so that an
 * import written in a TSDoc `@example` is not mistaken for a real one. A small scanner rather than a
 * parser: it knows strings, template literals (with `${}` nesting) and, by the usual heuristic,
 * regular-expression literals — enough to never take a `//` inside a string for a comment.
 */

/** A `/` after one of these starts a regular expression, not a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/**
 * The source with every comment replaced by one space.
 * @example
 * stripComments("import a from './a.ts'; // import b from './b.ts'") // "import a from './a.ts'; "
 */
export function stripComments(source: string): string {
  const n = source.length;
  let out = '';
  let copyFrom = 0;
  let last = '';
  // Open template literals and the `${` depth inside each: a `}` at depth 0 resumes the template.
  const templates: number[] = [];
  let i = 0;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (templates.length > 0 && templates[templates.length - 1] === -1) {
      // Inside template text.
      if (c === '\\') i += 2;
      else if (c === '`') { templates.pop(); last = '`'; i++; }
      else if (c === '$' && next === '{') { templates[templates.length - 1] = 0; last = '{'; i += 2; }
      else i++;
      continue;
    }
    if (c === '/' && (next === '/' || next === '*')) {
      out += source.slice(copyFrom, i) + ' ';
      const end = next === '/' ? source.indexOf('\n', i) : source.indexOf('*/', i + 2);
      i = end < 0 ? n : next === '/' ? end : end + 2;
      copyFrom = i;
      continue;
    }
    if (c === '"' || c === "'") { i = skipQuoted(source, i, c); last = c; continue; }
    if (c === '`') { templates.push(-1); i++; continue; }
    if (c === '/' && REGEX_AFTER.has(last)) { i = skipRegex(source, i); last = '/'; continue; }
    if (templates.length > 0) {
      const depth = templates[templates.length - 1];
      if (c === '{') templates[templates.length - 1] = depth + 1;
      else if (c === '}') templates[templates.length - 1] = depth === 0 ? -1 : depth - 1;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') last = c;
    i++;
  }
  return out + source.slice(copyFrom);
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
