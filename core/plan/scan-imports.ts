import { maskLiterals, stripComments } from './strip-comments.ts';
import { scanCalls, type DynamicLoad } from './scan-calls.ts';

export type { DynamicLoad } from './scan-calls.ts';

/**
 * `import … from '…'` and `export … from '…'`. The clause may only hold what an import clause holds
 * (names, braces, commas, `*`, `as`), so a match cannot start at an earlier `export const … =`.
 * Group 2 is `type ` of a type-only statement (but not a default import named `type`).
 */
const FROM = /(?<![\w$.])(import|export)\s*(type\s+(?!from\b))?([\w$\s{},*]*?)\s*\bfrom\s*(['"])([^'"\n]+)\4/g;
/** `import '…'`: side effects only. */
const BARE = /(?<![\w$.])import\s*(['"])([^'"\n]+)\1/g;
/** `import('…')` and `require('…')` with a literal, also inside strings (over-inclusion costs a miss, omission a stale hit). */
const CALL = /(?<![\w$.])(?:import|require)\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g;

/** What a source loads: the specifiers the digest follows, and the loads it cannot follow. */
export interface ScannedLoads {
  /** Run-time specifiers, in order of appearance, without duplicates. */
  specifiers: string[];
  /** Loads with a computed specifier (`require(name)`, `import(\`./${x}\`)`…): the task must declare them. */
  dynamic: DynamicLoad[];
}

/**
 * The module specifiers a JS/TS source loads at run time, in order of appearance, without duplicates.
 * Type-only imports and exports are left out: they are erased, so they cannot change behaviour.
 * `import { type A } from './a.ts'` is kept: with `verbatimModuleSyntax` it still loads the module.
 * @example
 * scanImports("import type { T } from './t.ts';\nimport { f } from './f.ts';") // ['./f.ts']
 */
export function scanImports(source: string): string[] {
  return scanLoads(source).specifiers;
}

/**
 * scanImports plus every other way a module loads local code or files: `require` (also one made by
 * `createRequire(import.meta.url)`, whatever its name), `import()`, and `new URL('./x', import.meta.url)`
 * (a worker script, a .wasm or JSON file read through fs). A literal specifier (or a `const` holding
 * one) is followed; a computed one is reported in `dynamic`, with its line.
 * @example
 * scanLoads("const req = createRequire(import.meta.url);\nreq('./a.cjs'); req(name);")
 * // { specifiers: ['./a.cjs'], dynamic: [{ line: 2, code: 'req(name)' }] }
 */
export function scanLoads(source: string): ScannedLoads {
  const code = stripComments(source);
  const found: Array<[number, string]> = [];
  for (const m of code.matchAll(FROM)) {
    if (!m[2]) found.push([m.index, m[5]]);
  }
  for (const m of code.matchAll(BARE)) found.push([m.index, m[2]]);
  for (const m of code.matchAll(CALL)) {
    if (!m[2].includes('${')) found.push([m.index, m[2]]);
  }
  // Positions in the masked source are positions in `source`; in `code` they are not (comments
  // shrink to one space). Order matters only for readability, so merge by position in each.
  const calls = scanCalls(source, maskLiterals(source));
  found.sort((a, b) => a[0] - b[0]);
  const specifiers = [...new Set([...found.map(([, specifier]) => specifier), ...calls.specifiers])];
  return { specifiers, dynamic: calls.dynamic };
}
