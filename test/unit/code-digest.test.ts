import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValidationError } from '../../core/errors.ts';
import { clearCodeDigestCache, codeDigest } from '../../core/plan/code-digest.ts';

const repoCore = fileURLToPath(new URL('../../core/', import.meta.url));
const repoVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlcycle-code-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files under the temp project; returns the absolute path of the first one. */
function write(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, Object.keys(files)[0]);
}
const url = (name: string) => pathToFileURL(join(dir, name)).href;

/** Backdates files so the memo may trust their stamps (fresh files are re-read: see RACY_MS). */
function settle(...names: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const name of names) utimesSync(join(dir, name), past, past);
}

describe('codeDigest: what is covered', () => {
  it('covers the task file and the helper it imports; editing the helper changes the digest', () => {
    write({
      'tasks/define.ts': "import { scale } from './helper.ts';\nexport const run = (x: number) => scale(x);\n",
      'tasks/helper.ts': 'export const scale = (x: number) => x * 2;\n',
    });
    const before = codeDigest(url('tasks/define.ts'));
    expect(Object.keys(before.files)).toEqual(['define.ts', 'helper.ts']);
    expect(before.digest).toMatch(/^[0-9a-f]{64}$/);
    // Same size, same instant: only content tells the versions apart.
    write({ 'tasks/helper.ts': 'export const scale = (x: number) => x * 3;\n' });
    const after = codeDigest(url('tasks/define.ts'));
    expect(after.digest).not.toBe(before.digest);
    expect(after.files['define.ts']).toBe(before.files['define.ts']);
    expect(after.files['helper.ts']).not.toBe(before.files['helper.ts']);
  });

  it('does not change when an unrelated file in the same folder is edited', () => {
    write({
      'tasks/define.ts': "import { scale } from './helper.ts';\nexport const run = scale;\n",
      'tasks/helper.ts': 'export const scale = 2;\n',
      'tasks/unrelated.ts': 'export const other = 1;\n',
    });
    const before = codeDigest(url('tasks/define.ts'));
    write({ 'tasks/unrelated.ts': 'export const other = 2; // edited\n' });
    expect(codeDigest(url('tasks/define.ts'))).toEqual(before);
  });

  it('follows local imports transitively, in every import form, and not type-only or commented ones', () => {
    write({
      'tasks/define.ts': [
        "import type { Row } from './types.ts';",
        "export type { Shape } from './shapes.ts';",
        "// import { old } from './commented.ts';",
        "/** @example import { x } from './in-doc.ts' */",
        "import { a } from './a.js';",
        "import './side-effect.ts';",
        "export * from './reexport.ts';",
        "import { lib } from './lib';",
        "import {\n  type K,\n  kinds,\n} from '../kinds.ts';",
        "export const load = () => import('./lazy.ts');",
        "const url = 'https://example.com/x'; // a '//' inside a string is not a comment",
      ].join('\n'),
      'tasks/types.ts': 'export interface Row { a: number }\n',
      'tasks/shapes.ts': 'export type Shape = number[];\n',
      'tasks/commented.ts': '',
      'tasks/in-doc.ts': '',
      'tasks/a.ts': "import { deep } from './deep/deeper.ts';\nexport const a = deep;\n",
      'tasks/deep/deeper.ts': 'export const deep = 1;\n',
      'tasks/side-effect.ts': '',
      'tasks/reexport.ts': '',
      'tasks/lib/index.ts': 'export const lib = 1;\n',
      'kinds.ts': 'export const kinds = 1; export type K = string;\n',
      'tasks/lazy.ts': '',
    });
    const { files } = codeDigest(url('tasks/define.ts'));
    expect(Object.keys(files)).toEqual([
      '../kinds.ts', 'a.ts', 'deep/deeper.ts', 'define.ts', 'lazy.ts', 'lib/index.ts', 'reexport.ts', 'side-effect.ts',
    ]);
  });

  it('terminates on a cycle of imports, covering each file once', () => {
    write({
      'a.ts': "import { b } from './b.ts';\nexport const a = () => b();\n",
      'b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(Object.keys(codeDigest(url('a.ts')).files)).toEqual(['a.ts', 'b.ts']);
  });
});

describe('codeDigest: packages', () => {
  function project(pkgVersion: string): void {
    write({
      'src/task.ts': [
        "import { thing } from 'fake-pkg';",
        "import { sub } from '@scope/pkg/sub/path.js';",
        "import { join } from 'node:path';",
        "import fs from 'fs';",
        "import { defineTask } from 'mlcycle';",
        "import type { Nope } from 'types-only-pkg';",
        "import { missing } from 'not-installed';",
      ].join('\n'),
      'node_modules/fake-pkg/package.json': JSON.stringify({ name: 'fake-pkg', version: pkgVersion }),
      'node_modules/fake-pkg/index.js': 'export const thing = 1;',
      'node_modules/@scope/pkg/package.json': JSON.stringify({ name: '@scope/pkg', version: '4.5.6' }),
    });
  }

  it('records bare imports as name → version from the package.json found from the importing file', () => {
    project('1.2.3');
    const { files, packages } = codeDigest(url('src/task.ts'));
    expect(packages).toEqual({
      '@scope/pkg': '4.5.6', 'fake-pkg': '1.2.3', mlcycle: repoVersion, 'not-installed': 'unresolved',
    });
    expect(Object.keys(files)).toEqual(['task.ts']);
  });

  it('changes when a package version changes', () => {
    project('1.2.3');
    const before = codeDigest(url('src/task.ts')).digest;
    project('1.2.4');
    expect(codeDigest(url('src/task.ts')).digest).not.toBe(before);
  });

  it('counts a path into the engine core as the package mlcycle, without following it', () => {
    const toCore = relative(join(dir, 'tasks'), join(repoCore, 'index.ts')).split('\\').join('/');
    write({ 'tasks/t.ts': `import { defineTask } from '${toCore}';\nexport const t = defineTask;\n` });
    const { files, packages } = codeDigest(url('tasks/t.ts'));
    expect(files).toEqual({ 't.ts': expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(packages).toEqual({ mlcycle: repoVersion });
  });
});

describe('codeDigest: stability and memo', () => {
  it('does not depend on the process cwd, nor on URL vs path', () => {
    write({
      'tasks/define.ts': "import { k } from '../shared/kinds.ts';\nexport const t = k;\n",
      'shared/kinds.ts': 'export const k = 1;\n',
    });
    const first = codeDigest(url('tasks/define.ts'));
    expect(Object.keys(first.files)).toEqual(['../shared/kinds.ts', 'define.ts']);
    const cwd = process.cwd();
    try {
      process.chdir(join(dir, 'shared'));
      clearCodeDigestCache();
      expect(codeDigest(url('tasks/define.ts'))).toEqual(first);
      clearCodeDigestCache();
      expect(codeDigest(join(dir, 'tasks/define.ts'))).toEqual(first);
    } finally {
      process.chdir(cwd);
    }
  });

  it('serves repeated calls from the memo, and still sees an edit', () => {
    write({ 'task.ts': "import './helper.ts';\n", 'helper.ts': 'export const h = 1;\n' });
    settle('task.ts', 'helper.ts');
    const first = codeDigest(url('task.ts'));
    expect(codeDigest(url('task.ts'))).toBe(first);
    write({ 'helper.ts': 'export const h = 2;\n' });
    expect(codeDigest(url('task.ts')).digest).not.toBe(first.digest);
  });

  it('sees a helper that a new import pulls in', () => {
    write({ 'task.ts': 'export const t = 1;\n', 'helper.ts': 'export const h = 1;\n' });
    const before = codeDigest(url('task.ts'));
    write({ 'task.ts': "import './helper.ts';\nexport const t = 1;\n" });
    expect(Object.keys(codeDigest(url('task.ts')).files)).toEqual(['helper.ts', 'task.ts']);
    expect(before.files).toEqual({ 'task.ts': expect.any(String) });
  });

  it('fails with a ValidationError naming a task module that does not exist', () => {
    expect(() => codeDigest(url('missing.ts'))).toThrow(ValidationError);
    expect(() => codeDigest(url('missing.ts'))).toThrow('missing.ts');
  });
});
