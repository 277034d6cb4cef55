/**
 * JSON from a bundle file, parsed without ever putting the file's text into an error. Node 20's
 * JSON.parse messages quote the text around the fault ("Unexpected token 'r', "root:x:0:0"... is not
 * valid JSON"), which echoed /etc/passwd when a bundle file was a link to it; here a failure says
 * only where (line and column), never what.
 */

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A parse result: the value, or a sentence saying what is wrong and where (no file content). */
export type JsonResult = { ok: true; value: unknown } | { ok: false; why: string };

/**
 * Decodes `bytes` as strict UTF-8 (a BOM is allowed) and parses them as JSON.
 * @example
 * const r = parseJsonBytes(new TextEncoder().encode('{"a": tru}'));
 * r.ok ? r.value : r.why // 'is not valid JSON (syntax error at line 1, column 10)'
 */
export function parseJsonBytes(bytes: Uint8Array): JsonResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, why: 'is not valid UTF-8 text' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const at = syntaxErrorAt(text);
    const { line, column } = lineColumn(text, at);
    const what = at >= text.length ? 'it ends early' : 'syntax error';
    return { ok: false, why: `is not valid JSON (${what} at line ${line}, column ${column})` };
  }
}

/** 1-based line and column of offset `at`. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: at - start + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Offset of the first JSON syntax error in `s` (s.length when the text ends early). V8 gives no
 * position for an unexpected token, so the grammar is walked here; iteratively, so deeply nested
 * input cannot overflow the stack. Only called after JSON.parse failed: speed does not matter.
 */
function syntaxErrorAt(s: string): number {
  let i = 0;
  const stack: string[] = [];
  // True right after '{' or '[': the first member (or the close) needs no ',' before it.
  let fresh = false;
  const skipSpace = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const string = (): boolean => {
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34) return (i++, true);
      if (c < 0x20) return false;
      if (c === 92) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(s)) return false;
        i = ESCAPE.lastIndex;
      } else i++;
    }
    return false;
  };
  // Parses one scalar or opens a container; false leaves `i` at the fault.
  const value = (): boolean => {
    skipSpace();
    const c = s[i];
    if (c === '{' || c === '[') return (stack.push(c), i++, (fresh = true));
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (c !== word[0]) continue;
      for (const ch of word) {
        if (s[i] !== ch) return false;
        i++;
      }
      return true;
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(s)) return false;
    i = NUMBER.lastIndex;
    return true;
  };
  const key = (): boolean => {
    skipSpace();
    if (s[i] !== '"' || !string()) return false;
    skipSpace();
    if (s[i] !== ':') return false;
    i++;
    return true;
  };
  if (!value()) return i;
  for (;;) {
    skipSpace();
    const top = stack[stack.length - 1];
    if (top === undefined) return Math.min(i, s.length);
    if (s[i] === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
      fresh = false;
      continue;
    }
    if (!fresh) {
      if (s[i] !== ',') return i;
      i++;
    }
    fresh = false;
    if (top === '{' && !key()) return i;
    if (!value()) return i;
  }
}
