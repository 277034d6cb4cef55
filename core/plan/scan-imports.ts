import { stripComments } from './strip-comments.ts';

/**
 * `import … from '…'` and `export … from '…'`. The clause may only hold what an import clause holds
 * (names, braces, commas, `*`, `as`), so a match cannot start at an earlier `export const … =`.
 * Group 2 is `type ` of a type-only statement (but not a default import named `type`).
 */
const FROM = /(?<![\w$.])(import|export)\s*(type\s+(?!from\b))?([\w$\s{},*]*?)\s*\bfrom\s*(['"])([^'"\n]+)\4/g;
/** `import '…'`: side effects only. */
const BARE = /(?<![\w$.])import\s*(['"])([^'"\n]+)\1/g;
/** `import('…')` and `require('…')` with a literal: a dynamic specifier cannot be known, so it is not seen. */
const CALL = /(?<![\w$.])(?:import|require)\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g;

/**
 * The module specifiers a JS/TS source loads at run time, in order of appearance, without duplicates.
 * Type-only imports and exports are left out: they are erased, so they cannot change behaviour.
 * `import { type A } from './a.ts'` is kept: with `verbatimModuleSyntax` it still loads the module.
 * @example
 * scanImports("import type { T } from './t.ts';\nimport { f } from './f.ts';") // ['./f.ts']
 */
export function scanImports(source: string): string[] {
  const code = stripComments(source);
  const found: Array<[number, string]> = [];
  for (const m of code.matchAll(FROM)) {
    if (!m[2]) found.push([m.index, m[5]]);
  }
  for (const m of code.matchAll(BARE)) found.push([m.index, m[2]]);
  for (const m of code.matchAll(CALL)) {
    if (!m[2].includes('${')) found.push([m.index, m[2]]);
  }
  found.sort((a, b) => a[0] - b[0]);
  return [...new Set(found.map(([, specifier]) => specifier))];
}
