/**
 * Builds the published package's JavaScript: compiles core/ and plugins/ (tsconfig.build.json) to dist/ as
 * ESM .js with .d.ts types, then copies the runtime files tsc does not emit (worker entries in .mjs, any
 * .wasm/.json read beside a module) to the same relative place, so `new URL('./x.mjs', import.meta.url)`
 * finds them from dist/ too. Run by `npm run build` and by `prepack` (so `npm pack`/`npm publish` ship it).
 * The repo itself never needs dist/: the CLI, DAGs, tests and benches run the TypeScript through jiti.
 *   npm run build
 * Built in a temporary folder and swapped in at the end: a failed build leaves no half-written dist/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['core', 'plugins'];
/** Sources of generated code, not loaded at run time (the wasm kernels are embedded as base64 .ts). */
const NOT_RUNTIME = new Set(['.ts', '.as', '.md']);
const out = join(root, 'dist');
const tmp = join(root, `.dist-build-${process.pid}`);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function fail(message) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`build: ${message}`);
  process.exit(1);
}

rmSync(tmp, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', tmp], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) fail(`tsc failed (exit ${compiled.status ?? compiled.signal}); nothing was written to dist/`);

let copied = 0;
for (const folder of SOURCES) {
  for (const file of walk(join(root, folder))) {
    if (NOT_RUNTIME.has(extname(file))) continue;
    const target = join(tmp, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied += 1;
  }
}

// rewriteRelativeImportExtensions turns `./x.ts` into `./x.js` in static and literal dynamic imports;
// a computed specifier gets tsc's runtime shim. A `.ts` specifier left in emitted code would fail in
// plain Node, so check rather than trust (comment lines are skipped: TSDoc examples show `.ts` imports).
const LEFT_TS = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+\.ts)['"]/g;
const COMMENT = /^\s*(\*|\/\*|\/\/)/;
const left = walk(tmp)
  .filter((f) => f.endsWith('.js'))
  .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((line) => !COMMENT.test(line)).flatMap((line) => [...line.matchAll(LEFT_TS)].map((m) => `${relative(tmp, f)}: ${m[1]}`)));
if (left.length) fail(`emitted JavaScript still imports .ts files:\n  ${left.join('\n  ')}`);

rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
const js = walk(out).filter((f) => f.endsWith('.js')).length;
console.log(`build: dist/ holds ${js} compiled modules with types and ${copied} copied runtime files`);
