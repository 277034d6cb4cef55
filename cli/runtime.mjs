/**
 * One jiti instance for the CLI and every DAG file it loads.
 *
 * Why one: a DAG file's `import … from 'mlcycle'` must reach the very module instance of core that
 * the CLI uses, or `instanceof ValidationError` and the task registry break across the boundary.
 * jiti keeps a single module cache per instance, so loading both through it shares core.
 *
 * Why jiti: Node 20 cannot strip TypeScript types, and users write DAGs in TypeScript with no build
 * step. jiti transpiles our `.ts` files (cached on disk, so warm starts skip Babel) and imports
 * everything under node_modules natively, which keeps ESM-only packages (typebox, arquero, rxjs)
 * as Node loads them.
 */
import { createJiti } from 'jiti';
import { fileURLToPath } from 'node:url';

/** Absolute path of core/index.ts: what `import … from 'mlcycle'` means inside DAG files. */
export const corePath = fileURLToPath(new URL('../core/index.ts', import.meta.url));

/** Absolute path of plugins/: what `import … from 'mlcycle/plugins/…'` means inside DAG files. */
export const pluginsPath = fileURLToPath(new URL('../plugins', import.meta.url));

/** Absolute path of this CLI's bin script (the scaffold's package.json points at it). */
export const binPath = fileURLToPath(new URL('./bin.mjs', import.meta.url));

/** Creates the shared jiti instance. */
export function createRuntime() {
  const jiti = createJiti(import.meta.url, {
    // The longer alias wins: 'mlcycle/plugins/loaders/csv.ts' is a built-in plugin, 'mlcycle' the API.
    alias: { 'mlcycle/plugins': pluginsPath, mlcycle: corePath },
    // Transpiled sources go to node_modules/.cache/jiti (or the OS temp dir): warm starts skip Babel.
    fsCache: true,
    // Off: keeping Babel's output line-for-line is enough for file:line:col in errors, and inline
    // maps slow down every load.
    sourceMaps: false,
  });
  return {
    /** Imports a module (TypeScript or JavaScript) through the shared instance. */
    importModule: (specifier) => jiti.import(specifier),
    corePath,
    binPath,
  };
}
