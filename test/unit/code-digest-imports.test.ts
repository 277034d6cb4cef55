import { describe, expect, it } from '@jest/globals';
import { scanImports } from '../../core/plan/scan-imports.ts';
import { stripComments } from '../../core/plan/strip-comments.ts';

describe('scanImports', () => {
  it('finds static, side-effect, re-export, dynamic and require specifiers in order', () => {
    const source = [
      "import a from './a.ts';",
      'import * as b from "./b.ts";',
      "import c, { d as e } from './c.ts';",
      "import {\n  f,\n  g,\n} from './fg.ts';",
      "import './side.ts';",
      "export * from './star.ts';",
      "export * as ns from './ns.ts';",
      "export { h } from './h.ts';",
      "const lazy = await import('./lazy.ts');",
      'const tpl = import(`./tpl.ts`);',
      "const old = require('./old.cjs');",
      "import{min}from'./min.ts'",
    ].join('\n');
    expect(scanImports(source)).toEqual([
      './a.ts', './b.ts', './c.ts', './fg.ts', './side.ts', './star.ts', './ns.ts', './h.ts', './lazy.ts', './tpl.ts',
      './old.cjs', './min.ts',
    ]);
  });

  it('skips type-only imports and exports, but keeps a default import named type and inline type specifiers', () => {
    const source = [
      "import type { A } from './types-a.ts';",
      "import type B from './types-b.ts';",
      "export type { C } from './types-c.ts';",
      "export type * from './types-d.ts';",
      "import type from './named-type.ts';",
      "import { type E, f } from './mixed.ts';",
    ].join('\n');
    expect(scanImports(source)).toEqual(['./named-type.ts', './mixed.ts']);
  });

  it('is not fooled by a type alias before a re-export, comments, strings or computed specifiers', () => {
    const source = [
      'export type Shape = number[]',
      "export { x } from './x.ts'",
      "/* import { y } from './in-block.ts' */",
      "// import './in-line.ts'",
      "const s = 'import z from \"./in-string-is-ok.ts\"';",
      'const name = "x"; const dyn = import(`./${name}.ts`);',
      'const re = /[\'"]/g;',
      "import { w } from './after-regex.ts';",
    ].join('\n');
    // A specifier inside a string counts: over-inclusion costs a cache miss, omission a stale result.
    expect(scanImports(source)).toEqual(['./x.ts', './in-string-is-ok.ts', './after-regex.ts']);
  });
});

describe('stripComments', () => {
  it('keeps strings, templates and regexes that contain comment markers', () => {
    const source = "const u = 'http://a'; // gone\nconst t = `/* ${'//'} */`; /* gone */ const r = /\\/*x/;";
    expect(stripComments(source)).toBe("const u = 'http://a';  \nconst t = `/* ${'//'} */`;   const r = /\\/*x/;");
  });
});
