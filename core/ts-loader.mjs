/**
 * The one way mlcycle loads TypeScript at run time: a jiti instance with the `mlcycle` aliases. The CLI
 * (cli/runtime.mjs) and every worker thread (core/executors/worker.mjs) make theirs here, so a DAG
 * file or task module loads the same way on the main thread and in a worker.
 *
 * Plain JS because it must exist before TypeScript can load. Why jiti: Node 20 cannot strip types,
 * and users write DAGs in TypeScript with no build step; jiti transpiles our `.ts` files (cached on
 * disk, so warm starts skip Babel) and imports everything under node_modules natively, which keeps
 * ESM-only packages (typebox, arquero, rxjs) as Node loads them.
 */
import { createJiti } from 'jiti';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the module `name` (written `./x.ts`) relative to `base`: the TypeScript source in a
 * checkout, or its compiled `./x.js` when this file runs from dist/ (the published package, built by
 * `npm run build`, holds no .ts next to it). The .mjs files are copied into dist/ unchanged.
 * @example
 * sourceOrBuilt('./worker-entry.ts', import.meta.url) // '/repo/core/executors/worker-entry.ts'
 */
export function sourceOrBuilt(name, base) {
  const source = fileURLToPath(new URL(name, base));
  return existsSync(source) ? source : source.replace(/\.ts$/, '.js');
}

/** Absolute path of core/index.ts: the engine's API, which the CLI loads. */
export const corePath = sourceOrBuilt('./index.ts', import.meta.url);

/**
 * Absolute path of plugins/index.ts, the package root: what `import … from 'mlcycle'` means inside
 * DAG files (core's API plus the serving API, as the compiled package exports it).
 */
export const packageRootPath = sourceOrBuilt('../plugins/index.ts', import.meta.url);

/** Absolute path of plugins/: what `import … from 'mlcycle/plugins/…'` means inside DAG files. */
export const pluginsPath = fileURLToPath(new URL('../plugins', import.meta.url));

/**
 * A jiti instance with mlcycle's aliases. One per thread: a module loaded through it shares core
 * with every other module it loads (one module cache per instance), so `instanceof ValidationError`
 * and the task registry hold across a DAG file and the engine.
 * @example
 * const jiti = createTsLoader();
 * const mod = await jiti.import('/abs/path/dags/penguins.ts');
 */
export function createTsLoader() {
  return createJiti(import.meta.url, {
    // The longer alias wins: 'mlcycle/plugins/loaders/csv.ts' is a built-in plugin, 'mlcycle' the API.
    alias: { 'mlcycle/plugins': pluginsPath, mlcycle: packageRootPath },
    // Transpiled sources go to node_modules/.cache/jiti (or the OS temp dir): warm starts skip Babel.
    fsCache: true,
    // Set explicitly, not left to JITI_* environment variables: both sides must load modules alike.
    moduleCache: true,
    tryNative: false,
    // Off: keeping Babel's output line-for-line is enough for file:line:col in errors, and inline
    // maps slow down every load.
    sourceMaps: false,
  });
}

/**
 * Imports a module by path or `file:` URL through `jiti` (jiti takes paths, task refs carry URLs).
 * @example
 * await importThrough(createTsLoader(), task.ref.moduleUrl);
 */
export function importThrough(jiti, specifier) {
  return jiti.import(specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier);
}
