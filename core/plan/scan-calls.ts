/**
 * Finds the call-shaped loads of a module on its masked source (maskLiterals: comments and string
 * contents blanked, same length): `require(…)`, `import(…)`, a `createRequire(…)` require under any
 * name, and `new URL(…, import.meta.url)`. A pattern scanner, not a parser: what it cannot prove
 * literal it reports as dynamic, because a load the digest misses is a silent stale result while a
 * refusal says how to fix it.
 */

/** A load whose target the scanner cannot know. */
export interface DynamicLoad {
  /** 1-based line in the source. */
  line: number;
  /** The call as written (first 80 characters of one line). */
  code: string;
  /** Why it cannot be followed. */
  why: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const CREATE_REQUIRE = /(?<![\w$])createRequire\s*\(/g;
const NEW_URL = /(?<![\w$.])new\s+URL\s*\(/g;
/** `const NAME =` / `let NAME: T =` just before a createRequire call (optionally `module.`). */
const BOUND_TO = /(export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;]*)?=\s*(?:[\w$]+\s*\.\s*)?$/;

/**
 * The literal specifiers and the dynamic loads of one source.
 * @example
 * const src = "const r = createRequire(import.meta.url); r('./x.cjs');";
 * scanCalls(src, maskLiterals(src)) // { specifiers: ['./x.cjs'], dynamic: [] }
 */
export function scanCalls(source: string, masked: string): { specifiers: string[]; dynamic: DynamicLoad[] } {
  const specifiers: string[] = [];
  const dynamic: DynamicLoad[] = [];
  const flag = (at: number, end: number, why: string) => dynamic.push({ line: lineAt(source, at), code: snippet(source, at, end), why });
  const take = (at: number, argStart: number, end: number, what: string, normalise = (s: string) => s) => {
    const arg = literalArg(source, masked, argStart);
    if (arg === null) return;
    if (arg === undefined) flag(at, end, `${what} with a computed specifier`);
    else specifiers.push(normalise(arg));
  };

  const names = new Set(['require', 'import']);
  for (const m of masked.matchAll(CREATE_REQUIRE)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(masked, open);
    const after = masked.slice(close + 1).match(/^\s*(\(|\.\s*resolve\b)?/)!;
    if (after[1] === '(') {
      const callOpen = close + 1 + after[0].length - 1;
      take(m.index, callOpen + 1, matchParen(masked, callOpen) + 1, 'a createRequire require');
      continue;
    }
    if (after[1]) continue; // createRequire(…).resolve(…) finds a path; it loads nothing
    const bound = BOUND_TO.exec(masked.slice(Math.max(0, m.index - 200), m.index));
    if (bound && !bound[1]) names.add(bound[2]);
    else flag(m.index, close + 1, bound ? 'an exported require: what other modules load through it cannot be followed' : 'a createRequire require kept where the scanner cannot follow it');
  }

  const calls = new RegExp(`(?<![\\w$.])(${[...names].map((n) => n.replace(/\$/g, '\\$')).join('|')})\\s*\\(`, 'g');
  for (const m of masked.matchAll(calls)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(masked, open);
    // A declaration (`function require(id) {`, a method `import(x): T {`) is not a load.
    if (/function\s*\*?\s*$/.test(masked.slice(Math.max(0, m.index - 20), m.index))) continue;
    if (/^\s*(?::[^;{}()]*)?\{/.test(masked.slice(close + 1))) continue;
    take(m.index, open + 1, close + 1, `${m[1]}()`);
  }

  for (const m of masked.matchAll(NEW_URL)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(masked, open);
    // Only a URL relative to this module names a local file; other URLs are the task's business.
    if (!/,\s*import\s*\.\s*meta\s*\.\s*url\s*$/.test(masked.slice(open + 1, close))) continue;
    take(m.index, open + 1, close + 1, 'new URL(…, import.meta.url)', urlToSpecifier);
  }
  return { specifiers: specifiers.filter((s) => s !== ''), dynamic };
}

/**
 * The first argument of a call as a literal string: a quoted string, a template without `${}`, or a
 * name bound once in this file by `const NAME = '…'`. Undefined when computed; null when there is no argument.
 */
function literalArg(source: string, masked: string, from: number): string | null | undefined {
  const start = from + (/^\s*/.exec(masked.slice(from))![0].length);
  const c = masked[start];
  if (c === ')') return null;
  let value: string | undefined;
  let end: number;
  if (c === '"' || c === "'" || c === '`') {
    end = masked.indexOf(c, start + 1);
    if (end < 0) return undefined;
    value = source.slice(start + 1, end);
    if (c === '`' && value.includes('${')) return undefined;
    end++;
  } else {
    const name = /^[A-Za-z_$][\w$]*/.exec(masked.slice(start))?.[0];
    if (!name || !IDENT.test(name)) return undefined;
    value = constString(source, masked, name, start);
    end = start + name.length;
  }
  // `require('./a' + x)` starts with a literal but is computed.
  return /^\s*[,)]/.test(masked.slice(end)) ? value : undefined;
}

/**
 * The value of `const NAME = '…'` when the binding of NAME nearest before `at` is such a const (the
 * scanner knows no scopes; the nearest preceding binding is the one in scope in the code we meet).
 */
function constString(source: string, masked: string, name: string, at: number): string | undefined {
  const esc = name.replace(/\$/g, '\\$');
  const bindings = [...masked.slice(0, at).matchAll(new RegExp(`(?<![\\w$.])(?:const|let|var)\\s+${esc}\\b`, 'g'))];
  const nearest = bindings[bindings.length - 1];
  if (!nearest) return undefined;
  const m = new RegExp(`^const\\s+${esc}\\s*(?::[^=;]*)?=\\s*(['"])`).exec(masked.slice(nearest.index));
  if (!m) return undefined;
  const start = nearest.index + m[0].length;
  const end = masked.indexOf(m[1], start);
  if (end < 0 || !/^\s*(;|\n|$)/.test(masked.slice(end + 1))) return undefined;
  return source.slice(start, end);
}

/** Index of the `)` closing the `(` at `open` (end of source when unbalanced). */
function matchParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) return i;
  }
  return masked.length - 1;
}

/** `new URL('x.wasm', import.meta.url)` is relative like './x.wasm'; a folder (`'./'`) names no file. */
function urlToSpecifier(url: string): string {
  const path = url.split(/[?#]/)[0];
  if (path === '' || path === '.' || path === '..' || path.endsWith('/')) return '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !path.startsWith('file:')) return '';
  return path.startsWith('.') || path.startsWith('/') || path.startsWith('file:') ? path : `./${path}`;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

function snippet(source: string, at: number, end: number): string {
  const text = source.slice(at, Math.min(end, at + 80)).split('\n')[0];
  return end - at > text.length ? `${text}…` : text;
}
